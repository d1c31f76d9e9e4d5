using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Testing.Elasticsearch;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Benchmarks;

/// <summary>
/// Commit-to-acknowledged latency at a steady rate: one small transaction every <see cref="Tick"/> (rate x tick rows),
/// for a bounded time and count, read from the pipeline's own histogram <c>cdc.commit_to_ack.duration</c>.
/// </summary>
internal static class LatencyRun
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <param name="Over50Ms">Samples above the 50 ms goal.</param>
    /// <param name="GcPauseMs">Time this process spent in GC pauses during the run (pipeline and ES test server share it).</param>
    /// <param name="LoadAverage">The machine's 1-minute load average at the end (other engineers share the 2 cores).</param>
    public sealed record Result(double P50Ms, double P99Ms, double MaxMs, int Samples, double AchievedRate, int Over50Ms, double GcPauseMs,
        int Gen0To2Collections, double LoadAverage);

    public static async Task<Result> RunAsync(BenchDatabase db, int eventsPerSecond, TimeSpan duration, int round, CancellationToken ct)
    {
        var tag = round < 0 ? "w" : round.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var slot = $"lat_{tag}";
        await db.ExecuteAsync($"TRUNCATE {BenchDatabase.Table}", ct);
        await using var es = await ElasticsearchTestServer.StartAsync(ct: ct);
        await using var pipeline = InProcessPipeline.Create(db.ConnectionString, es.Uri, InProcessPipeline.OptionsFor(slot, $"lat-{tag}"));
        var samples = new ConcurrentQueue<(double Ms, long At)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PipelineMetrics.MeterName && instrument.Name == "cdc.commit_to_ack.duration" &&
                ReferenceEquals(instrument.Meter.Scope, pipeline.MeterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => samples.Enqueue((seconds * 1000, Stopwatch.GetTimestamp())));
        listener.Start();

        pipeline.Start();
        await db.WaitActiveAsync(slot, TimeSpan.FromSeconds(60), ct);
        await Task.Delay(200, ct);
        samples.Clear();

        var perTick = Math.Max(1, (int)(eventsPerSecond * Tick.TotalSeconds));
        var maxTransactions = (int)(duration / Tick);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(ct);
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO {BenchDatabase.Table} SELECT g, 'payload-' || g || '-abcdefghijklmnopqrstuvwxyz', (g % 1000)::int, now() FROM generate_series($1::bigint, $2::bigint) g",
            connection);
        var from = insert.Parameters.Add(new NpgsqlParameter<long>());
        var to = insert.Parameters.Add(new NpgsqlParameter<long>());
        await insert.PrepareAsync(ct);

        // Bounded by count (duration / tick transactions) and by time (twice the duration); a late tick is not made up.
        using var timer = new PeriodicTimer(Tick);
        var pauseBefore = GC.GetTotalPauseDuration();
        var gcsBefore = GC.CollectionCount(0);
        var started = Stopwatch.GetTimestamp();
        var deadline = duration * 2;
        long next = 1;
        var committed = 0;
        while (committed < maxTransactions && Stopwatch.GetElapsedTime(started) < deadline && await timer.WaitForNextTickAsync(ct))
        {
            from.Value = next;
            to.Value = next + perTick - 1;
            next += perTick;
            await insert.ExecuteNonQueryAsync(ct);
            committed++;
        }

        var produced = Stopwatch.GetElapsedTime(started);
        ulong end;
        await using (var lsn = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()", connection))
        {
            end = (ulong)(NpgsqlLogSequenceNumber)(await lsn.ExecuteScalarAsync(ct))!;
        }

        // The last transaction's commit is below 'end'; a heartbeat-free slot moves only on commits, so wait for
        // the slot to confirm the last commit (its end LSN <= end), bounded.
        await WaitAllAcknowledgedAsync(db, slot, end, samples, committed, ct);
        pipeline.ThrowIfFailed();
        var pauses = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
        var gcs = GC.CollectionCount(0) - gcsBefore;
        var all = samples.ToArray();
        var sorted = all.Select(s => s.Ms).ToArray();
        Array.Sort(sorted);

        // Where the slow ones are: clustered in a few stalls (GC, CPU taken by others) or spread evenly (per-item cost).
        var slow = all.Where(s => s.Ms > 50).Select(s => Stopwatch.GetElapsedTime(started, s.At).TotalSeconds).ToArray();
        Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"  latency: {all.Length} samples, {slow.Length} over 50 ms at s = [{string.Join(", ", slow.Select(t => t.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}], GC pauses {pauses:0} ms in {gcs} gen0+ GCs"));
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No commit_to_ack measurements were recorded.");
        }

        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return new Result(Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1], sorted.Length, committed * (double)perTick / produced.TotalSeconds,
            slow.Length, pauses, gcs, load);
    }

    private static async Task WaitAllAcknowledgedAsync(BenchDatabase db, string slot, ulong end, ConcurrentQueue<(double, long)> samples, int committed, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(ct);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            // Each transaction is one checkpoint and one histogram sample once acknowledged.
            if (samples.Count >= committed || await BenchDatabase.ConfirmedAsync(connection, slot, ct) >= end)
            {
                return;
            }

            await Task.Delay(10, ct);
        }

        throw new TimeoutException($"Slot {slot} did not acknowledge the last of {committed} transactions within 60 s.");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
