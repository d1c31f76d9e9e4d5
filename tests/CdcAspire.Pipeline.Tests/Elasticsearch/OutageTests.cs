using CdcAspire.Pipeline.Tests.Elasticsearch.Support;
using CdcAspire.Testing.Elasticsearch;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

/// <summary>Issue 10, items 3 and 4: what an Elasticsearch outage looks like in logs, status and lag.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task AnOutageLogsOneWarningAndOneRecoveryLineWithoutStackTracesAndStatusSaysWhy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        var log = new CapturingLogger();
        await using var pipeline = new PipelineUnderTest(server.Uri.ToString(), logger: log);
        var first = pipeline.Source.Insert(0, 10);
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= first, TimeSpan.FromSeconds(30), "the first rows acknowledged");

        server.Faults.DropNextConnections(int.MaxValue);
        var requestsBefore = server.Counters.Requests;
        var second = pipeline.Source.Insert(10, 10, DateTimeOffset.UtcNow);
        await pipeline.WaitUntilAsync(() => server.Counters.Requests - requestsBefore >= 8, TimeSpan.FromSeconds(30), "several failed attempts");

        Assert.NotNull(pipeline.Status.ElasticsearchUnavailableSince);
        Assert.Contains("Elasticsearch", pipeline.Status.DegradedReason, StringComparison.Ordinal);
        Assert.NotEqual(Pipeline.Status.PipelinePhase.Failed, pipeline.Status.Phase);
        Assert.Null(pipeline.Status.FailureReason);
        await pipeline.WaitUntilAsync(() => pipeline.Status.LagSeconds > 0, TimeSpan.FromSeconds(5), "lag above zero while behind");
        Assert.True(pipeline.Source.LastAcknowledged < second);

        server.Faults.Clear();
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= second, TimeSpan.FromSeconds(30), "the rows acknowledged after recovery");
        Assert.Null(pipeline.Status.DegradedReason);
        Assert.Equal(20, server.GetDocuments("things").Count);

        var lines = log.Lines.ToList();
        Assert.Single(lines, l => l.Id.Id == 1030 && l.Level == LogLevel.Warning);
        Assert.Single(lines, l => l.Id.Id == 1031 && l.Level == LogLevel.Information);
        Assert.DoesNotContain(lines, l => l.Level >= LogLevel.Warning && l.Id.Id != 1030);
        Assert.DoesNotContain(lines, l => l.HasException);
    }

    [Fact]
    public async Task LagCountsAChangeHeldWhilePausedAndATransactionStillArriving()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        await using var pipeline = new PipelineUnderTest(server.Uri.ToString());
        var first = pipeline.Source.Insert(0, 5);
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= first, TimeSpan.FromSeconds(30), "caught up");
        await pipeline.WaitUntilAsync(() => pipeline.Status.LagSeconds == 0, TimeSpan.FromSeconds(5), "lag 0 when caught up");

        // Paused with a change pending: the change is behind, so lag grows from its commit time.
        pipeline.Status.Pause();
        var paused = pipeline.Source.Insert(5, 1, DateTimeOffset.UtcNow.AddSeconds(-3));
        await pipeline.WaitUntilAsync(() => pipeline.Status.LagSeconds >= 3, TimeSpan.FromSeconds(10), "lag >= 3 s while paused with a change pending");
        pipeline.Status.Resume();
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= paused, TimeSpan.FromSeconds(30), "resumed and acknowledged");
        await pipeline.WaitUntilAsync(() => pipeline.Status.LagSeconds == 0, TimeSpan.FromSeconds(5), "lag 0 after resume");

        // A large transaction whose commit has not arrived yet: its rows are indexed but not acknowledged.
        pipeline.Source.Insert(100, 50, DateTimeOffset.UtcNow.AddSeconds(-2), checkpoint: false);
        await pipeline.WaitUntilAsync(() => server.GetDocuments("things").Count == 56, TimeSpan.FromSeconds(30), "the open transaction's rows indexed");
        await Task.Delay(200, ct); // a few acknowledger rounds
        Assert.True(pipeline.Status.LagSeconds >= 2, $"lag {pipeline.Status.LagSeconds} s while a transaction is still open");
    }
}
