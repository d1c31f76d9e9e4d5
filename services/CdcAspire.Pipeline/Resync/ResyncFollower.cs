using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Writing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CdcAspire.Pipeline.Resync;

/// <summary>
/// The sink's side of a resync (<see cref="ResyncSchema"/>): follows the <c>resyncs</c> table and keeps the writer's
/// dual-write targets equal to the <c>building</c> rows. Confirms a row only after the writer has switched (every
/// action dispatched from then on goes to both indices), and releases an ended row only after every action still in
/// flight for its index has settled, so the consistency service may delete that index without it coming back.
/// </summary>
/// <remarks>
/// Each pipeline run loads the table before it dispatches its first change (<see cref="LoadAsync"/>): a run that
/// restarts mid-resync replays from the acknowledged position into both indices, so no change falls between. Then
/// it listens on <see cref="ResyncSchema.Channel"/> (the service notifies after each change of the table) and reads
/// the table again on each notification, and every <see cref="PollInterval"/> in any case (a lost notification or
/// connection only delays it). A failing read is logged and retried, which is safe: the service waits for the
/// confirmation and gives up cleanly without it.
/// </remarks>
public sealed class ResyncFollower(NpgsqlDataSource dataSource, string stateSchema, ILogger logger)
{
    /// <summary>How often the table is read without a notification (default 5 s; a notification wakes it at once).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>One pipeline run's follower state: the barrier (ledger position) at which each row's dual write stopped.</summary>
    internal sealed class Run(BulkWriter writer)
    {
        public BulkWriter Writer { get; } = writer;

        public Dictionary<long, (string Alias, string Index)> Active { get; } = [];

        public Dictionary<long, long> StoppedAt { get; } = [];

        public HashSet<long> Confirmed { get; } = [];

        public bool Created { get; set; }
    }

    internal static Run Start(BulkWriter writer) => new(writer);

    /// <summary>One round: reads the table, switches the writer, writes confirmations and releases.</summary>
    internal async Task LoadAsync(Run run, CancellationToken cancellationToken)
    {
        if (!run.Created)
        {
            await ResyncSchema.EnsureCreatedAsync(dataSource, stateSchema, cancellationToken);
            run.Created = true;
        }

        var table = ResyncSchema.Table(stateSchema);
        var building = new Dictionary<long, (string Alias, string Index)>();
        var ended = new List<(long Id, string Alias, string Index, string State)>();
        await using (var cmd = dataSource.CreateCommand($"SELECT id, alias, new_index, state FROM {table} WHERE state = 'building' OR released_at IS NULL"))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                if (row.Item4 == ResyncSchema.Building)
                {
                    building[row.Item1] = (row.Item2, row.Item3);
                }
                else
                {
                    ended.Add(row);
                }
            }
        }

        var targets = DualWriteTargets.From(building.Values);
        if (!targets.SameAs(run.Writer.DualWrites))
        {
            var barrier = await run.Writer.SetDualWritesAsync(targets, cancellationToken);
            foreach (var (id, (alias, index)) in building.Where(b => !run.Active.ContainsKey(b.Key)))
            {
                Log.DualWriteStarted(logger, id, alias, index);
            }

            foreach (var (id, _) in run.Active.Where(a => !building.ContainsKey(a.Key)))
            {
                run.StoppedAt[id] = barrier;
            }
        }

        foreach (var (id, (alias, index)) in run.Active.Where(a => !building.ContainsKey(a.Key)).ToList())
        {
            Log.DualWriteStopped(logger, id, alias, index, ended.FirstOrDefault(e => e.Id == id).State ?? "gone");
            run.Active.Remove(id);
        }

        foreach (var (id, pair) in building)
        {
            run.Active[id] = pair;
        }

        var unconfirmed = building.Keys.Where(id => !run.Confirmed.Contains(id)).ToArray();
        if (unconfirmed.Length > 0)
        {
            await using var confirm = dataSource.CreateCommand($"UPDATE {table} SET dual_write_confirmed_at = now() WHERE id = ANY($1) AND state = 'building' AND dual_write_confirmed_at IS NULL");
            confirm.Parameters.Add(new() { Value = unconfirmed });
            await confirm.ExecuteNonQueryAsync(cancellationToken);
            run.Confirmed.UnionWith(unconfirmed);
        }

        if (ended.Count > 0)
        {
            // Actions numbered before the switch may still be on their way to the ended row's index: wait for them.
            var barrier = ended.Select(e => run.StoppedAt.TryGetValue(e.Id, out var b) ? b : 0).Max();
            await run.Writer.WaitSettledAsync(barrier, cancellationToken);
            await using var release = dataSource.CreateCommand($"UPDATE {table} SET released_at = now() WHERE id = ANY($1) AND state <> 'building'");
            release.Parameters.Add(new() { Value = ended.Select(e => e.Id).ToArray() });
            await release.ExecuteNonQueryAsync(cancellationToken);
            foreach (var e in ended)
            {
                run.StoppedAt.Remove(e.Id);
                run.Confirmed.Remove(e.Id);
            }
        }
    }

    /// <summary>Follows the table until cancelled (notifications, else every <see cref="PollInterval"/>); failures are logged and retried.</summary>
    internal async Task FollowAsync(Run run, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var listener = await dataSource.OpenConnectionAsync(cancellationToken);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{ResyncSchema.Channel(stateSchema).Replace("\"", "\"\"", StringComparison.Ordinal)}\"", listener))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                while (true)
                {
                    // Read after LISTEN, so a change made before the listener existed is not waited for a whole interval.
                    await LoadAsync(run, cancellationToken);
                    await listener.WaitAsync(PollInterval, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                Log.ResyncPollFailed(logger, ex.Message);
                try
                {
                    await Task.Delay(PollInterval, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
