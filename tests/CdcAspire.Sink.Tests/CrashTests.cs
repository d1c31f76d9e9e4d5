namespace CdcAspire.Sink.Tests;

/// <summary>
/// The sink is killed with SIGKILL at random moments of a mixed workload, under Elasticsearch faults, and restarted:
/// after catch-up the index equals the table, with nothing missing, nothing extra and nothing stale.
/// </summary>
public sealed class CrashTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SinkKilledRepeatedlyDuringMixedWorkloadLosesNothingAndLeavesNothingStale()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "crash");
        await s.ExecuteAsync(Workload.InsertProducts(2000));
        using var stop = new CancellationTokenSource();

        // Slow bulk responses keep many writes in flight, so a kill always lands between "sent" and "settled":
        // anything acknowledged before it was settled would be lost here.
        s.Elasticsearch.Faults.DelayRequests(TimeSpan.FromMilliseconds(300));
        var workload = RunWorkloadAsync(s, 60, stop.Token);

        for (var kill = 0; kill < 4; kill++)
        {
            var sink = s.StartSink();
            // Let it make progress (snapshot or stream), then kill it without warning.
            await Task.Delay(TimeSpan.FromMilliseconds(1500 + (kill * 700)), TestContext.Current.CancellationToken);
            sink.Kill();
        }

        await workload;
        s.Elasticsearch.Faults.Clear();
        s.StartSink();
        await s.AssertConvergesAsync(Converge);
    }

    [Fact]
    public async Task BurstsOf429And503AndDroppedConnectionsDelayButNeverLoseChanges()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "faults");
        s.Environment["Cdc__Writer__InitialRetryDelay"] = "00:00:00.020";
        s.Environment["Cdc__Writer__MaxRetryDelay"] = "00:00:00.500";
        s.StartSink();
        await s.AssertConvergesAsync(Converge);

        s.Elasticsearch.Faults.FailNextRequests(5, 429, "/_bulk");
        await s.ExecuteAsync(Workload.InsertProducts(300));
        s.Elasticsearch.Faults.FailNextRequests(5, 503, "/_bulk");
        await s.ExecuteAsync("UPDATE products SET price = price * 2 WHERE id % 2 = 0");
        s.Elasticsearch.Faults.DropNextConnections(3);
        await s.ExecuteAsync("DELETE FROM products WHERE id % 7 = 0");
        s.Elasticsearch.Faults.FailNextItems(50, 429);
        for (var i = 0; i < 5; i++)
        {
            await s.ExecuteAsync(Workload.MultiTableTransaction(i));
        }

        await s.AssertConvergesAsync(Converge);
        Assert.True(s.Elasticsearch.Counters.BulkRequests > 10, "the bulk path was not exercised");
    }

    [Fact]
    public async Task KilledDuringTheSnapshotItResumesWithoutLosingRows()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "snapkill");
        await s.ExecuteAsync(Workload.InsertProducts(6000));
        s.Environment["Cdc__SnapshotChunkSize"] = "200";
        var first = s.StartSink();
        await s.EventuallyAsync(
            () => Task.FromResult<int?>(s.Elasticsearch.IndexNames.Contains("products") ? s.Elasticsearch.GetDocuments("products").Count : 0),
            n => n > 400, TimeSpan.FromSeconds(60), "part of the snapshot");
        first.Kill();

        // Rows change and vanish while the sink is down, including rows the snapshot already copied.
        await s.ExecuteAsync("DELETE FROM products WHERE id % 10 = 1; UPDATE products SET price = 1.23 WHERE id % 10 = 2");
        await s.ExecuteAsync(Workload.InsertProducts(100, "Late"));
        s.StartSink();
        await s.AssertConvergesAsync(Converge);
    }

    private static async Task RunWorkloadAsync(SinkScenario s, int rounds, CancellationToken cancellationToken)
    {
        for (var i = 0; i < rounds && !cancellationToken.IsCancellationRequested; i++)
        {
            await s.ExecuteAsync(Workload.MultiTableTransaction(1000 + i));
            await s.ExecuteAsync($"UPDATE products SET price = price + 0.01, tags = tags || ARRAY['r{i}'] WHERE id % 13 = {i % 13}");
            await s.ExecuteAsync($"DELETE FROM products WHERE id % 101 = {i % 101}");
            await s.ExecuteAsync(Workload.InsertProducts(20, "Bulk"));
            await Task.Delay(100, cancellationToken);
        }
    }
}
