using System.Diagnostics.Metrics;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Resync;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Tests.Elasticsearch.Support;
using CdcAspire.Pipeline.Writing;
using CdcAspire.Testing.Elasticsearch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdcAspire.Pipeline.Tests.Writing;

/// <summary>Issue 12: while a resync builds an index, the writer sends each action for the alias to it as well.</summary>
public sealed class DualWriteTests
{
    private static readonly TableId Things = new("public", "things");

    [Fact]
    public async Task ActionsEnqueuedWhileTheSwitchIsOnGoToBothIndicesWithTheSameVersionAndOnlyThose()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var status = new PipelineStatus();
        var observer = new PipelineObserver(new PipelineMetrics(services.GetRequiredService<IMeterFactory>(), status), status);
        var options = new WriterOptions { Lanes = 2 };
        var client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(server.Uri.ToString()), TimeSpan.FromSeconds(10), false);
        var ledger = new AckLedger(options.Lanes);
        var writer = new BulkWriter(client, new DeadLetterWriter(new MemoryDeadLetters(), observer, options, NullLogger.Instance), observer, options, ledger, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        writer.Start(_ => { }, stop.Token);

        await writer.EnqueueAsync(Action("a", 10), ct);
        var on = await writer.SetDualWritesAsync(DualWriteTargets.From([("things", "things-v2")]), ct);
        await writer.EnqueueAsync(Action("b", 20), ct);
        await writer.EnqueueAsync(Action("a", 30), ct);
        var off = await writer.SetDualWritesAsync(DualWriteTargets.None, ct);
        await writer.EnqueueAsync(Action("c", 40), ct);
        await writer.WaitSettledAsync(ledger.Next, ct).WaitAsync(TimeSpan.FromSeconds(20), ct);

        Assert.Equal(1, on); // "a" was numbered before the switch
        Assert.Equal(5, off); // a, b, b', a, a'
        Assert.Equal(["a", "b", "c"], server.GetDocuments("things").Select(d => d.Id).Order(StringComparer.Ordinal).ToArray());
        var built = server.GetDocuments("things-v2").OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        Assert.Equal([("a", 30L), ("b", 20L)], built.Select(d => (d.Id, d.Version)).ToArray());
        Assert.Equal(30, server.GetDocument("things", "a")!.Version);

        writer.Complete();
        await writer.Completion.WaitAsync(TimeSpan.FromSeconds(20), ct);
    }

    private static IndexAction Action(string id, long version) =>
        new(WriteOperation.Index, "things", id, version, System.Text.Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","v":{{version}}}"""), Things, default);
}
