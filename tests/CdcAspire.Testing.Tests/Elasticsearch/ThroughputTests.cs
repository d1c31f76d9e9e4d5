using System.Diagnostics;
using System.Text;

namespace CdcAspire.Testing.Tests.Elasticsearch;

/// <summary>Pushes many small documents through concurrent bulks; reports the rate and asserts only on correctness.</summary>
public sealed class ThroughputTests : ServerTest
{
    [Fact]
    public async Task ConcurrentBulksOfSmallDocumentsAreAllApplied()
    {
        const int Workers = 4, BatchesPerWorker = 50, BatchSize = 1000;
        var bodies = Enumerable.Range(0, Workers).Select(w => Enumerable.Range(0, BatchesPerWorker).Select(b =>
        {
            var text = new StringBuilder(BatchSize * 120);
            for (var i = 0; i < BatchSize; i++)
            {
                var id = ((w * BatchesPerWorker) + b) * BatchSize + i;
                text.Append("{\"index\":{\"_index\":\"bench\",\"_id\":\"").Append(id).Append("\",\"version\":").Append(id + 1).Append(",\"version_type\":\"external\"}}\n");
                text.Append("{\"id\":").Append(id).Append(",\"name\":\"customer ").Append(id).Append("\",\"amount\":12.5,\"at\":\"2025-01-01T00:00:00Z\"}\n");
            }

            return text.ToString();
        }).ToList()).ToList();
        var started = Stopwatch.GetTimestamp();

        await Task.WhenAll(bodies.Select(async batches =>
        {
            foreach (var body in batches)
            {
                var response = await Client.BulkAsync(body);
                Assert.Equal(200, response.Code);
                Assert.False(response.Json.GetProperty("errors").GetBoolean());
            }
        }));

        var elapsed = Stopwatch.GetElapsedTime(started);
        var total = Workers * BatchesPerWorker * BatchSize;
        TestContext.Current.TestOutputHelper?.WriteLine($"bulk throughput: {total / elapsed.TotalSeconds:N0} docs/s ({total} docs in {elapsed.TotalSeconds:N2}s)");
        Assert.Equal(total, Server.Counters.Created);
        Assert.Equal(total, Server.GetDocuments("bench").Count);
    }
}
