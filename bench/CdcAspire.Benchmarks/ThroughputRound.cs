using System.Diagnostics;
using CdcAspire.Testing.Elasticsearch;

namespace CdcAspire.Benchmarks;

/// <summary>
/// One round of the throughput measurements on one burst: every reader has its own slot created before the burst.
/// The live pipeline streams while the burst commits (commit -> acknowledged); the others read it afterwards from
/// their slots (catch-up), as pg_recvlogical --endpos does, so decode and pg_recvlogical compare like for like.
/// </summary>
internal static class ThroughputRound
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task RunAsync(BenchDatabase db, int rows, int round, Results results, CancellationToken ct)
    {
        var tag = round < 0 ? "w" : round.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var live = $"live_{tag}";
        var recv = $"recv_{tag}";
        var decode = $"dec_{tag}";
        var raw = $"raw_{tag}";
        var strings = $"str_{tag}";
        var catchUp = $"catch_{tag}";

        // An empty table: the live pipeline's new slot snapshots nothing, and the TRUNCATE precedes every slot.
        await db.ExecuteAsync($"TRUNCATE {BenchDatabase.Table}", ct);
        Burst burst;
        await using (var es = await ElasticsearchTestServer.StartAsync(ct: ct))
        await using (var pipeline = InProcessPipeline.Create(db.ConnectionString, es.Uri, InProcessPipeline.OptionsFor(live, $"live-{tag}")))
        {
            pipeline.Start();
            await db.WaitActiveAsync(live, TimeSpan.FromSeconds(60), ct);
            foreach (var slot in new[] { recv, decode, raw, strings, catchUp })
            {
                await db.CreateSlotAsync(slot, ct);
            }

            await db.MarkSnapshotDoneAsync(catchUp, ct);
            await Task.Delay(200, ct); // let the walsender settle into streaming before the burst
            burst = await db.CommitBurstAsync(rows, ct);
            var e2e = await db.WaitConfirmedAsync(live, burst, Timeout, ct);
            pipeline.ThrowIfFailed();
            Check(es.Counters.BulkItems >= rows, $"Elasticsearch got {es.Counters.BulkItems} bulk items, expected {rows}");
            results.Add("e2e.live", rows / e2e.TotalSeconds);
        }

        var recvTime = await RecvLogicalRun.RunAsync(db, recv, burst, Timeout, ct);
        results.Add("recv", rows / recvTime.TotalSeconds);

        var decoded = await DecodeRun.PostgresChangeSourceAsync(db, decode, burst, capture: true, Timeout, ct);
        Check(decoded.Events == rows, $"decode saw {decoded.Events} changes, expected {rows}");
        results.Add("decode", rows / decoded.Elapsed.TotalSeconds);

        var npgsqlRaw = await DecodeRun.NpgsqlAsync(db, raw, burst, readValues: false, Timeout, ct);
        Check(npgsqlRaw.Events == rows, $"Npgsql saw {npgsqlRaw.Events} inserts, expected {rows}");
        results.Add("npgsql.raw", rows / npgsqlRaw.Elapsed.TotalSeconds);

        var npgsqlStrings = await DecodeRun.NpgsqlAsync(db, strings, burst, readValues: true, Timeout, ct);
        results.Add("npgsql.strings", rows / npgsqlStrings.Elapsed.TotalSeconds);

        // The whole pipeline again, reading the same changes from its own slot after the fact (like pg_recvlogical).
        await using (var es = await ElasticsearchTestServer.StartAsync(ct: ct))
        await using (var pipeline = InProcessPipeline.Create(db.ConnectionString, es.Uri, InProcessPipeline.OptionsFor(catchUp, $"catch-{tag}")))
        {
            var started = Stopwatch.GetTimestamp();
            pipeline.Start();
            var elapsed = await db.WaitConfirmedAsync(catchUp, burst with { CommitStarted = started }, Timeout, ct);
            pipeline.ThrowIfFailed();
            results.Add("e2e.catchup", rows / elapsed.TotalSeconds);
        }

        // Mapper + bulk writer + Elasticsearch test server + acknowledgement, without PostgreSQL.
        await using (var es = await ElasticsearchTestServer.StartAsync(ct: ct))
        {
            var source = new MemorySource(decoded.Captured!);
            await using var pipeline = InProcessPipeline.Create(db.ConnectionString, es.Uri, InProcessPipeline.OptionsFor("unused", $"write-{tag}"), (_, _) => source);
            var started = Stopwatch.GetTimestamp();
            pipeline.Start();
            var acknowledged = await source.Acknowledged.WaitAsync(Timeout, ct);
            results.Add("write", rows / Stopwatch.GetElapsedTime(started, acknowledged).TotalSeconds);
            Check(es.Counters.BulkItems >= rows, $"Elasticsearch got {es.Counters.BulkItems} bulk items, expected {rows}");
        }

        await db.DropSlotsAsync(ct);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
