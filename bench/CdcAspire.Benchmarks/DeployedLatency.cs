using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Benchmarks;

/// <summary>
/// Commit → acknowledged latency measured from outside the sink, as a user would: one transaction of seed
/// <c>products</c> rows every <see cref="Tick"/> (rate × tick rows), and a second connection polling the slot's
/// <c>confirmed_flush_lsn</c>. A transaction counts as acknowledged at the first poll that sees the slot confirmed
/// past a WAL mark taken inside it (after its rows, before its commit: the previous transaction's commit is below
/// the mark, so only this transaction's acknowledgement can pass it). The clock starts before COMMIT is sent, so
/// the commit itself and the polling interval (≈1 ms) count against the sink: the numbers are an upper bound.
/// </summary>
internal static class DeployedLatency
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    public static async Task<DeployedRun.LatencyResult> MeasureAsync(
        NpgsqlConnection connection, string connectionString, string slot, int eventsPerSecond, TimeSpan duration, CancellationToken ct)
    {
        var perTick = Math.Max(1, (int)(eventsPerSecond * Tick.TotalSeconds));
        var maxTransactions = (int)(duration / Tick);
        var pending = new Queue<(ulong Mark, long CommitStarted)>();
        var latencies = new List<double>(maxTransactions);
        using var stopPolling = new CancellationTokenSource();
        var poller = PollAsync(connectionString, slot, pending, latencies, stopPolling.Token);

        await using var insert = new NpgsqlCommand(DeployedRun.InsertProductsSql, connection);
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = perTick });
        await using var mark = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()", connection);

        using var timer = new PeriodicTimer(Tick);
        var started = Stopwatch.GetTimestamp();
        var committed = 0;
        while (committed < maxTransactions && Stopwatch.GetElapsedTime(started) < duration * 2 && await timer.WaitForNextTickAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            insert.Transaction = tx;
            mark.Transaction = tx;
            await insert.ExecuteNonQueryAsync(ct);
            var lsn = (ulong)(NpgsqlLogSequenceNumber)(await mark.ExecuteScalarAsync(ct))!;
            var commitStarted = Stopwatch.GetTimestamp();
            lock (pending)
            {
                pending.Enqueue((lsn, commitStarted));
            }

            await tx.CommitAsync(ct);
            committed++;
        }

        var produced = Stopwatch.GetElapsedTime(started);
        var waitUntil = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < waitUntil && PendingCount(pending) > 0)
        {
            await Task.Delay(10, ct);
        }

        await stopPolling.CancelAsync();
        await poller;
        if (PendingCount(pending) > 0)
        {
            throw new TimeoutException($"Slot {slot} did not acknowledge {PendingCount(pending)} of {committed} transactions within 60 s of the last commit.");
        }

        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        return new DeployedRun.LatencyResult(Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1], sorted.Length,
            committed * (double)perTick / produced.TotalSeconds, sorted.Count(ms => ms > 50), load);
    }

    private static async Task PollAsync(string connectionString, string slot, Queue<(ulong Mark, long CommitStarted)> pending, List<double> latencies, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var cmd = new NpgsqlCommand("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = slot });
        await cmd.PrepareAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            var confirmed = await cmd.ExecuteScalarAsync(CancellationToken.None) is NpgsqlLogSequenceNumber l ? (ulong)l : 0;
            var now = Stopwatch.GetTimestamp();
            lock (pending)
            {
                while (pending.TryPeek(out var p) && confirmed > p.Mark)
                {
                    pending.Dequeue();
                    latencies.Add(Stopwatch.GetElapsedTime(p.CommitStarted, now).TotalMilliseconds);
                }
            }

            try
            {
                await Task.Delay(1, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static int PendingCount(Queue<(ulong, long)> pending)
    {
        lock (pending)
        {
            return pending.Count;
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
