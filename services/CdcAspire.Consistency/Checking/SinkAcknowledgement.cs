using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Consistency.Checking;

/// <summary>
/// The sink's progress as PostgreSQL sees it: the <c>confirmed_flush_lsn</c> of the topology's replication slot
/// (<see cref="CdcTopology.SlotName"/>: <c>Cdc:SlotName</c>, or Debezium's <c>Cdc:DebeziumSlotName</c> in the Kafka topology). The sink confirms a
/// position only once everything before it is in Elasticsearch, so past it every earlier change is visible to a
/// real-time GET.
/// </summary>
public sealed class SinkAcknowledgement(PostgresConnections connections, CdcTopology topology, TimeProvider time)
{
    private string SlotName => topology.SlotName;

    /// <summary>The current end of the WAL: every commit visible to a snapshot taken before this call lies below it.</summary>
    public async Task<ulong> CurrentWalAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()", connection);
        return (ulong)(NpgsqlLogSequenceNumber)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Waits until the slot has confirmed <paramref name="lsn"/>. Returns <see cref="SinkState.Caught"/> then;
    /// <see cref="SinkState.NotStreaming"/> at once when no sink holds the slot (paused or absent: nothing will
    /// change the documents, so they are compared as they are); <see cref="SinkState.Behind"/> after the timeout.
    /// </summary>
    public async Task<SinkState> WaitForAsync(ulong lsn, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var delay = TimeSpan.FromMilliseconds(20);
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT active, confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = SlotName });
        while (true)
        {
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken) || !reader.GetBoolean(0))
                {
                    return SinkState.NotStreaming;
                }

                if (!reader.IsDBNull(1) && (ulong)reader.GetFieldValue<NpgsqlLogSequenceNumber>(1) >= lsn)
                {
                    return SinkState.Caught;
                }
            }

            if (time.GetUtcNow() > deadline)
            {
                return SinkState.Behind;
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }
}

/// <summary>What waiting for the sink found.</summary>
public enum SinkState
{
    Caught,
    NotStreaming,
    Behind,
}
