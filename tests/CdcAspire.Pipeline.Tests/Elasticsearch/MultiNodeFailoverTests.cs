using CdcAspire.Pipeline.Tests.Elasticsearch.Support;
using CdcAspire.Testing.Elasticsearch;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

/// <summary>A connection string with several nodes: requests go round them, and a dead node is failed over.</summary>
public sealed class MultiNodeFailoverTests
{
    [Fact]
    public async Task KillingOneOfTwoNodesMidStreamLosesNothingAndTheStreamGoesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        var nodeA = await ElasticsearchTestServer.StartAsync(ct: ct);
        await using var nodeB = await nodeA.StartNodeAsync(ct: ct);
        var killed = false;
        try
        {
            await using var pipeline = new PipelineUnderTest($"{nodeA.Uri},{nodeB.Uri}", o => o.Writer.MaxBatchCount = 50);

            // First half while both nodes serve: both take bulk requests (round robin).
            long last = 0;
            for (var tx = 0; tx < 20; tx++)
            {
                last = pipeline.Source.Insert(tx * 50, 50);
            }

            await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= last, TimeSpan.FromSeconds(60), "the first half acknowledged");
            Assert.True(nodeA.Counters.BulkRequests > 0, "node A took no bulk request");
            Assert.True(nodeB.Counters.BulkRequests > 0, "node B took no bulk request");

            // Kill node A while the second half streams in.
            var stillArriving = Task.Run(async () =>
            {
                for (var tx = 20; tx < 40; tx++)
                {
                    last = pipeline.Source.Insert(tx * 50, 50);
                    await Task.Delay(5, ct);
                }
            }, ct);
            killed = true;
            await nodeA.DisposeAsync();
            await stillArriving;

            await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= last, TimeSpan.FromSeconds(60), "the second half acknowledged after node A died");
            var ids = nodeB.GetDocuments("things").Select(d => d.Id).ToHashSet();
            Assert.Equal(2000, ids.Count);
            Assert.All(Enumerable.Range(0, 2000), i => Assert.Contains(i.ToString(System.Globalization.CultureInfo.InvariantCulture), ids));
            Assert.Empty(pipeline.DeadLetters.Letters);
        }
        finally
        {
            if (!killed)
            {
                await nodeA.DisposeAsync();
            }
        }
    }
}
