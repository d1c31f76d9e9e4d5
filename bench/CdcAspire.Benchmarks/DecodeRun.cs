using System.Diagnostics;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.State;
using CdcAspire.Pipeline.Status;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;

namespace CdcAspire.Benchmarks;

/// <summary>
/// Decoding without Elasticsearch: our PostgresChangeSource from an existing slot (snapshot marked done), counting
/// ChangeEvents until the checkpoint past the burst; and, to split the cost, Npgsql alone on the same kind of slot.
/// </summary>
internal static class DecodeRun
{
    public sealed record Result(TimeSpan Elapsed, long Events, List<ChangeEvent>? Captured);

    public static async Task<Result> PostgresChangeSourceAsync(BenchDatabase db, string slot, Burst burst, bool capture, TimeSpan timeout, CancellationToken ct)
    {
        var options = InProcessPipeline.OptionsFor(slot, "unused");
        await using var connections = new PostgresConnections(db.ConnectionString);
        await using var source = new PostgresChangeSource(connections, new PostgresStateStore(connections.DataSource, options.StateSchema), options,
            new PipelineStatus(), NullLogger.Instance);
        await source.PrepareAsync(ct);
        await db.MarkSnapshotDoneAsync(slot, ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var captured = capture ? new List<ChangeEvent>(burst.Rows) : null;
        long events = 0;
        var started = Stopwatch.GetTimestamp();
        await foreach (var item in source.ReadAsync(cts.Token))
        {
            if (item.Change is { } change)
            {
                events++;
                captured?.Add(change);
            }
            else if (item.Checkpoint is LsnCheckpoint lsn && lsn.Lsn > burst.Mark)
            {
                break;
            }
        }

        return new Result(Stopwatch.GetElapsedTime(started), events, captured);
    }

    /// <summary>Npgsql's pgoutput reader alone; <paramref name="readValues"/> copies each column out as a string (what we need at least).</summary>
    public static async Task<Result> NpgsqlAsync(BenchDatabase db, string slot, Burst burst, bool readValues, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        long events = 0;
        long chars = 0;
        var started = Stopwatch.GetTimestamp();
        await using var connection = new LogicalReplicationConnection(db.ConnectionString);
        await connection.Open(cts.Token);
        await foreach (var message in connection.StartReplication(new PgOutputReplicationSlot(slot),
            new PgOutputReplicationOptions(BenchDatabase.Publication, PgOutputProtocolVersion.V1), cts.Token))
        {
            if (message is InsertMessage insert)
            {
                events++;
                if (readValues)
                {
                    await foreach (var value in insert.NewRow)
                    {
                        if (!value.IsDBNull)
                        {
                            chars += (await value.Get<string>(cts.Token)).Length;
                        }
                    }
                }
            }
            else if (message is CommitMessage commit && (ulong)commit.TransactionEndLsn > burst.Mark)
            {
                break;
            }
        }

        GC.KeepAlive(chars);
        return new Result(Stopwatch.GetElapsedTime(started), events, null);
    }
}
