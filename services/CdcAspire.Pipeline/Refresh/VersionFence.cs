using CdcAspire.Pipeline.Changes;
using Npgsql;

namespace CdcAspire.Pipeline.Refresh;

/// <summary>
/// The version a re-read row is written with, taken before the read, so that a change committed after the read
/// always carries a higher version and wins, and the re-read state can never overwrite a newer one (the rule the
/// snapshot follows; ARCHITECTURE "Repair and replay share one rule with the snapshot").
/// </summary>
/// <remarks>
/// <para><b>Direct topology</b> (versions from the commit LSN): the fence is <c>pg_current_wal_insert_lsn()</c> = L,
/// read before the rows' snapshot. Any transaction whose commit record is inserted after that point commits at
/// LSN &gt;= L, so its version (L × 4096 + minor) is above the fence version (L × 4096 − 1). The one gap: a
/// transaction whose commit record is already in the WAL below L but which has not yet left the proc array when the
/// snapshot is taken: the read would not see it, yet it is "older" than the fence. So after reading L the fence
/// waits until every transaction in progress at that moment has ended (<c>pg_current_snapshot()</c>'s xip list,
/// plus the xids at or above its xmax, which it does not list; polled with <c>pg_xact_status</c> and
/// <c>pg_visible_in_snapshot</c>): afterwards every commit below L is visible to the next snapshot. It takes one xid
/// of its own for that bound. A session idle in a transaction holds a fence back until <see cref="InFlightTimeout"/>,
/// then the fence fails as transient.</para>
/// <para><b>Kafka topology</b> (versions from Debezium's <c>source.sequence[0]</c>, the LSN of the commit before
/// the event's own transaction): a transaction committing after the read may carry the commit LSN of a transaction
/// the read did see, so L is too high. The fence is then the <c>confirmed_flush_lsn</c> of Debezium's slot: Debezium
/// confirms only commits it has read, so it is at or below the last commit before the read, hence at or below the
/// sequence[0] of every later transaction. Documents whose newest change lies above it answer 409 (superseded):
/// the stream owns them.</para>
/// </remarks>
public sealed class VersionFence(NpgsqlDataSource dataSource, VersionFenceMode mode, string? debeziumSlot = null)
{
    /// <summary>Which topology's rule this fence follows.</summary>
    public VersionFenceMode Mode => mode;

    /// <summary>How long to wait for transactions in progress at the fence before giving up with a clear error.</summary>
    public TimeSpan InFlightTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Takes the fence. Open the snapshot that reads the rows <em>after</em> this returns; write them with
    /// <see cref="Fence.ExternalVersion"/>.
    /// </summary>
    public async Task<Fence> TakeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (mode == VersionFenceMode.DebeziumSlot)
        {
            await using var slot = new NpgsqlCommand(
                "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", connection);
            slot.Parameters.Add(new() { Value = debeziumSlot ?? string.Empty });
            var flushed = await slot.ExecuteScalarAsync(cancellationToken);
            if (flushed is not NpgsqlTypes.NpgsqlLogSequenceNumber lsn)
            {
                throw new PipelineException(
                    $"Replication slot '{debeziumSlot}' (Debezium's slot.name) does not exist or has never confirmed a position, " +
                    "so no version is known to be older than every change still on its way. Check the slot name or wait for Debezium to start streaming.");
            }

            return new Fence(new Position((ulong)lsn, 0));
        }

        // The LSN first, the in-flight list second: a transaction whose commit record lies below the LSN either left
        // the proc array before the list was taken (visible to the next snapshot) or is on the list (waited for).
        await using var insert = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()", connection);
        var fenceLsn = (ulong)(NpgsqlTypes.NpgsqlLogSequenceNumber)(await insert.ExecuteScalarAsync(cancellationToken))!;
        // In flight: the snapshot's xip list, plus every xid from its xmax up to one we take ourselves (a snapshot does
        // not list xids at or above its xmax, yet they may be running).
        await using var xip = new NpgsqlCommand(
            """
            SELECT array(SELECT x::text::bigint FROM pg_snapshot_xip(s) x), pg_snapshot_xmax(s)::text::bigint, pg_current_xact_id()::text::bigint
            FROM (SELECT pg_current_snapshot() s) q
            """, connection);
        long[] inFlight;
        await using (var reader = await xip.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            var listed = reader.GetFieldValue<long[]>(0);
            var xmax = reader.GetInt64(1);
            var ours = reader.GetInt64(2);
            inFlight = [.. listed, .. Enumerable.Range(0, (int)Math.Clamp(ours - xmax, 0, 100_000)).Select(i => xmax + i)];
        }

        await WaitForAsync(connection, inFlight, cancellationToken);
        return new Fence(new Position(fenceLsn, 0));
    }

    private async Task WaitForAsync(NpgsqlConnection connection, long[] xids, CancellationToken cancellationToken)
    {
        if (xids.Length == 0)
        {
            return;
        }

        var deadline = DateTime.UtcNow + InFlightTimeout;
        var delay = TimeSpan.FromMilliseconds(1);
        await using var status = new NpgsqlCommand(
            """
            SELECT count(*) FROM unnest($1::bigint[]) x
            WHERE pg_xact_status(x::text::xid8) = 'in progress'
               -- Committed in the commit log but still in the proc array (e.g. waiting for a synchronous standby):
               -- new snapshots do not see it yet.
               OR (pg_xact_status(x::text::xid8) = 'committed' AND NOT pg_visible_in_snapshot(x::text::xid8, pg_current_snapshot()))
            """, connection);
        status.Parameters.Add(new() { Value = xids });
        while ((long)(await status.ExecuteScalarAsync(cancellationToken))! > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new PipelineException(
                    $"A transaction open since before this replay/repair has not ended after {InFlightTimeout.TotalSeconds:0} s " +
                    "(see pg_stat_activity for 'idle in transaction' sessions); the re-read waits for it so it cannot overwrite its change. Retry once it ends.",
                    isTransient: true);
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }
}

/// <summary>Where the fence comes from; see <see cref="VersionFence"/>.</summary>
public enum VersionFenceMode
{
    /// <summary>The direct topology: the WAL insert position, after in-flight transactions end.</summary>
    WalInsertPosition,

    /// <summary>The Kafka topology: Debezium's slot's confirmed flush position.</summary>
    DebeziumSlot,
}

/// <summary>A fence: rows read after it are written with <see cref="ExternalVersion"/>.</summary>
public readonly record struct Fence(Position Position)
{
    /// <summary>One below the lowest version any change committed after the fence can carry.</summary>
    public long ExternalVersion => Math.Max(0, Position.ToExternalVersion() - 1);
}
