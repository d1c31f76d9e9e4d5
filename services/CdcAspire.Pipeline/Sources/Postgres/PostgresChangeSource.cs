using System.Runtime.CompilerServices;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using CdcAspire.Pipeline.State;
using CdcAspire.Pipeline.Status;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using NpgsqlTypes;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>
/// The direct source (<see cref="SourceNames.Postgres"/>): PostgreSQL logical replication with pgoutput, read through
/// Npgsql. Prepares the publication, the state schema and the slot; snapshots tables that have not been snapshotted for
/// this slot; then streams.
/// </summary>
public sealed class PostgresChangeSource(
    PostgresConnections connections,
    PostgresStateStore state,
    CdcOptions options,
    PipelineStatus status,
    ILogger logger) : IChangeSource
{
    /// <summary>Prefix of our heartbeat messages in the WAL.</summary>
    public const string HeartbeatPrefix = "cdcaspire.heartbeat";

    private readonly PgTypeCatalog _types = new();
    private readonly SemaphoreSlim _feedback = new(1, 1);
    private IReadOnlyList<SourceTable> _tables = [];
    private LogicalReplicationConnection? _replication;
    private volatile bool _streaming;
    private ulong _settledLsn;
    private ulong _sentLsn;
    private CancellationTokenSource? _heartbeat;

    public string Name => SourceNames.Postgres;

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var configured = options.Tables.Keys.Select(TableId.Parse).ToList();
        var preflight = await PostgresPreflight.CheckAsync(connections, configured, _types, cancellationToken);
        await IsolateRefusedAsync(preflight.Refused, cancellationToken);
        _tables = preflight.Tables;
        var followed = _tables.Select(t => t.Id).ToList();
        await state.EnsureCreatedAsync(cancellationToken);
        await PublicationManager.EnsureAsync(
            connections.DataSource, options.PublicationName, followed,
            joining => state.ResetSnapshotAsync(joining, cancellationToken), logger, cancellationToken);
        foreach (var table in _tables)
        {
            status.Table(table.Id, string.Empty).SnapshotRowsEstimated = table.EstimatedRows;
        }
    }

    /// <summary>
    /// A table that cannot be followed (no key, missing) does not stop the others when it is new to the publication:
    /// it never had documents from this slot, so leaving it out loses nothing, and keeping a keyless table out of the
    /// publication also keeps PostgreSQL from refusing the application's UPDATEs and DELETEs on it. A refused table
    /// that is already published stops the pipeline instead: leaving it out would drop its deletes silently until a
    /// later snapshot, which re-indexes rows but cannot remove documents of rows deleted meanwhile.
    /// </summary>
    private async Task IsolateRefusedAsync(IReadOnlyList<RefusedTable> refused, CancellationToken cancellationToken)
    {
        if (refused.Count == 0)
        {
            return;
        }

        if (refused.Count == options.Tables.Count)
        {
            throw new PipelineException(refused[0].Reason);
        }

        HashSet<TableId> published;
        await using (var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken))
        {
            published = await PublicationManager.ReadTablesAsync(connection, options.PublicationName, cancellationToken);
        }

        foreach (var table in refused)
        {
            if (published.Contains(table.Table))
            {
                throw new PipelineException(
                    $"{table.Reason} The table is already being followed, so the pipeline stops rather than skip it (skipping would lose its deletes). " +
                    $"Fix the table, or remove it from Cdc:Tables to stop following it.");
            }

            Log.TableRefused(logger, table.Table.ToString(), table.Reason);
            status.RefuseTable(status.Table(table.Table, string.Empty), table.Reason);
        }
    }

    public async IAsyncEnumerable<SourceItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Owned by the source, not this iterator: acknowledgements of work settled after the stream stops still
        // need it (DisposeAsync closes it and advances the slot to the last settled position).
        var replication = await connections.OpenReplicationAsync(cancellationToken);
        _replication = replication;
        var slot = await FindSlotAsync(cancellationToken);
        string? exported = null;
        ulong startLsn;
        if (slot is null)
        {
            // A new slot: its exported snapshot is exactly the state before the first change it will stream, so the
            // handoff has no gap and no duplicate. The snapshot stays valid while this connection runs nothing else.
            // Progress is forgotten before the slot exists: a crash between the two then still snapshots everything.
            await state.ResetSnapshotAsync(options.SlotName, cancellationToken);
            var created = await replication.CreatePgOutputReplicationSlot(
                options.SlotName, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken);
            exported = created.SnapshotName;
            startLsn = (ulong)created.ConsistentPoint;
            Log.SlotCreated(logger, options.SlotName, created.ConsistentPoint.ToString());
        }
        else
        {
            startLsn = slot.Value;
            Log.SlotReused(logger, options.SlotName, new NpgsqlLogSequenceNumber(startLsn).ToString());
        }

        var progress = await state.ReadSnapshotAsync(options.SlotName, cancellationToken);
        var pending = _tables
            .Where(t => !progress.TryGetValue(t.Id, out var p) || !p.Done)
            .Select(t => (t, progress.GetValueOrDefault(t.Id) ?? new SnapshotProgress(t.Id, null, 0, false)))
            .ToList();
        foreach (var table in _tables.Where(t => progress.TryGetValue(t.Id, out var p) && p.Done))
        {
            status.SetTablePhase(status.Table(table.Id, string.Empty), PipelinePhase.Streaming);
        }

        if (pending.Count > 0)
        {
            status.SetPhase(PipelinePhase.Snapshotting);
            var reader = new SnapshotReader(connections.DataSource, options.SnapshotChunkSize);
            var version = new Position(startLsn, 0);
            await foreach (var item in reader.ReadAsync(pending, exported, version, OnTableStart, cancellationToken))
            {
                yield return item;
            }
        }

        status.SetPhase(PipelinePhase.Streaming);
        StartHeartbeat(cancellationToken);
        Log.StreamingFrom(logger, new NpgsqlLogSequenceNumber(startLsn).ToString());
        var stream = new ReplicationStreamReader(connections.DataSource, _types, _tables.ToDictionary(t => t.Id), HeartbeatPrefix);
        _streaming = true;
        try
        {
            await foreach (var item in stream.ReadAsync(replication, options.SlotName, options.PublicationName, startLsn, cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            _streaming = false;
        }

        void OnTableStart(SourceTable table)
        {
            var start = pending.First(p => p.t == table).Item2;
            Log.SnapshotStarting(logger, table.Id.ToString(), start.LastKey is null ? "(start)" : string.Join(",", start.LastKey),
                new NpgsqlLogSequenceNumber(startLsn).ToString(), exported is not null);
            status.SetTablePhase(status.Table(table.Id, string.Empty), PipelinePhase.Snapshotting);
        }
    }

    public async ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        switch (checkpoint)
        {
            case SnapshotCheckpoint snapshot:
                await state.SaveSnapshotAsync(options.SlotName, snapshot.Progress, cancellationToken);
                var table = status.Table(snapshot.Progress.Table, string.Empty);
                table.SetSnapshotRowsDone(snapshot.Progress.RowsDone);
                if (snapshot.Progress.Done)
                {
                    Log.SnapshotRead(logger, snapshot.Progress.Table.ToString(), snapshot.Progress.RowsDone);
                    status.SetTablePhase(table, PipelinePhase.Streaming);
                }
                else
                {
                    status.NotifyChanged();
                }

                break;
            case LsnCheckpoint lsn:
                await AcknowledgeLsnAsync(lsn.Lsn, cancellationToken);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null)
        {
            await _heartbeat.CancelAsync();
            _heartbeat.Dispose();
        }

        if (_replication is { } replication)
        {
            await _feedback.WaitAsync();
            _replication = null;
            _feedback.Release();
            await replication.DisposeAsync();
        }

        // Work settled after the stream stopped: move the slot there now that no walsender holds it.
        if (_settledLsn > _sentLsn)
        {
            var target = new NpgsqlLogSequenceNumber(_settledLsn).ToString();
            try
            {
                await using var advance = connections.DataSource.CreateCommand("SELECT pg_replication_slot_advance($1, $2::pg_lsn)");
                advance.Parameters.Add(new() { Value = options.SlotName });
                advance.Parameters.Add(new() { Value = target });
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await advance.ExecuteNonQueryAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
            {
                Log.SlotAdvanceFailed(logger, options.SlotName, target, ex.Message);
            }
        }

        _feedback.Dispose();
    }

    /// <summary>
    /// Reports a settled LSN as flushed, so PostgreSQL may recycle WAL before it. Never moves backwards; once the
    /// stream has stopped (Npgsql refuses status updates then) the LSN is kept for <see cref="DisposeAsync"/>.
    /// </summary>
    private async Task AcknowledgeLsnAsync(ulong lsn, CancellationToken cancellationToken)
    {
        await _feedback.WaitAsync(cancellationToken);
        try
        {
            if (lsn <= _settledLsn)
            {
                return;
            }

            _settledLsn = lsn;
            if (!_streaming || _replication is not { } replication)
            {
                Log.AcknowledgementDeferred(logger, new NpgsqlLogSequenceNumber(lsn).ToString());
                return;
            }

            try
            {
                replication.SetReplicationStatus(new NpgsqlLogSequenceNumber(lsn));
                await replication.SendStatusUpdate(cancellationToken);
                _sentLsn = lsn;
            }
            catch (Exception ex) when (!_streaming && ex is InvalidOperationException or ObjectDisposedException or NpgsqlException)
            {
                Log.AcknowledgementDeferred(logger, new NpgsqlLogSequenceNumber(lsn).ToString());
            }
        }
        finally
        {
            _feedback.Release();
        }
    }

    private async Task<ulong?> FindSlotAsync(CancellationToken cancellationToken)
    {
        await using var cmd = connections.DataSource.CreateCommand(
            "SELECT plugin, confirmed_flush_lsn, database FROM pg_replication_slots WHERE slot_name = $1");
        cmd.Parameters.Add(new() { Value = options.SlotName });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        if (reader.GetString(0) != "pgoutput" || reader.GetString(2) != connections.Database)
        {
            throw new PipelineException(
                $"Replication slot '{options.SlotName}' exists but uses plugin {reader.GetString(0)} on database {reader.GetString(2)}. " +
                "Choose another Cdc:SlotName, or drop that slot if it is unused (SELECT pg_drop_replication_slot('...')).");
        }

        return (ulong)reader.GetFieldValue<NpgsqlLogSequenceNumber>(1);
    }

    /// <summary>
    /// Writes a non-transactional logical message every <see cref="CdcOptions.HeartbeatInterval"/> and refreshes the
    /// slot lag. Without it a slot whose tables are idle never advances while other tables fill the WAL.
    /// </summary>
    private void StartHeartbeat(CancellationToken cancellationToken)
    {
        _heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _heartbeat.Token;
        var interval = options.HeartbeatInterval > TimeSpan.Zero ? options.HeartbeatInterval : TimeSpan.FromSeconds(5);
        var lagInterval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds, 2000));
        _ = Task.Run(async () =>
        {
            var lastBeat = DateTime.UtcNow;
            using var timer = new PeriodicTimer(lagInterval);
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    if (options.HeartbeatInterval > TimeSpan.Zero && DateTime.UtcNow - lastBeat >= options.HeartbeatInterval)
                    {
                        lastBeat = DateTime.UtcNow;
                        await using var beat = connections.DataSource.CreateCommand("SELECT pg_logical_emit_message(false, $1, '')");
                        beat.Parameters.Add(new() { Value = HeartbeatPrefix });
                        await beat.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                    }

                    await using var lag = connections.DataSource.CreateCommand(
                        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1");
                    lag.Parameters.Add(new() { Value = options.SlotName });
                    status.LagBytes = await lag.ExecuteScalarAsync(token).ConfigureAwait(false) is long bytes ? bytes : 0;
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                {
                    Log.HeartbeatFailed(logger, ex.Message);
                }
            }
        }, token);
    }
}
