using System.Collections.Concurrent;
using CdcAspire.Consistency.Checking;
using CdcAspire.Consistency.Diagnostics;
using CdcAspire.Consistency.Options;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Refresh;
using CdcAspire.Pipeline.Resync;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Consistency.Resync;

/// <summary>
/// Rebuilds a table's index behind its alias while search keeps working (issue 12): creates
/// <c>&lt;alias&gt;-v&lt;N+1&gt;</c> (its template applies), has the sink write every change into it as well
/// (<see cref="ResyncSchema"/>; the snapshot starts only after the sink confirmed, so no change falls between),
/// fills it from the rows' current state with the fenced-version rule (<see cref="CurrentStateWriter"/>: a streamed
/// change always wins), waits until the sink has acknowledged past the end of the snapshot, refreshes it, then moves
/// the alias in one atomic <c>_aliases</c> request (deleting the old index in the same request unless it is kept).
/// Any failure before the swap abandons the resync: the alias stays on the old, complete index, the sink stops its
/// dual write, and the new index is deleted.
/// </summary>
public sealed class ResyncRunner(
    ResyncStore store,
    KeyPages keys,
    CurrentStateWriter writer,
    SearchClusterClient elasticsearch,
    DocumentMapper mapper,
    PostgresConnections connections,
    PgTypeCatalog types,
    SinkAcknowledgement sink,
    ConsistencyOptions options,
    Diagnostics.ConsistencyMetrics metrics,
    ILogger<ResyncRunner> logger)
{
    private const int TransientAttempts = 5;
    private readonly ConcurrentDictionary<string, bool> _running = new(StringComparer.Ordinal);
    private readonly IndexAliases _aliases = new(elasticsearch);

    /// <summary>Runs a resync of <paramref name="table"/>, reporting each stage; the last report is <c>done</c> or <c>failed</c>.</summary>
    public async Task RunAsync(TableId table, bool keepOldIndex, Action<ResyncProgress> report, CancellationToken cancellationToken)
    {
        var alias = mapper.Mappings[table].Index;
        var progress = new ResyncProgress { Table = table.ToString(), Alias = alias };
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        void Report(string stage, string detail = "")
        {
            progress.Stage = stage;
            progress.Detail = detail;
            if (stage is "done" or "failed")
            {
                metrics.Resynced(progress.Table, stage, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }

            report(progress.Clone());
        }

        if (!_running.TryAdd(alias, true))
        {
            Report("failed", $"A resync of {alias} is already running in this service.");
            return;
        }

        long? id = null;
        try
        {
            Report("creating");
            var targets = await _aliases.TargetsAsync(alias, cancellationToken);
            if (targets.Count != 1)
            {
                Report("failed", targets.Count == 0
                    ? $"{alias} is not an alias yet: start the sink (it migrates a concrete index to an alias once, at start), then resync."
                    : $"{alias} points at {targets.Count} indices ({string.Join(", ", targets)}); a resync needs it on exactly one.");
                return;
            }

            var old = targets[0];
            var next = (IndexAliases.VersionOf(alias, old) ?? 1) + 1;
            while (await elasticsearch.IndexExistsAsync(IndexAliases.VersionedName(alias, next), cancellationToken))
            {
                next++; // A leftover of an earlier, abandoned resync that could not be deleted: never reuse it.
            }

            var created = IndexAliases.VersionedName(alias, next);
            progress.OldIndex = old;
            progress.NewIndex = created;
            await _aliases.CreateIndexAsync(created, cancellationToken);
            id = await store.StartAsync(table.ToString(), alias, old, created, keepOldIndex, cancellationToken);
            if (id is null)
            {
                await _aliases.DeleteIndexAsync(created, cancellationToken);
                Report("failed", $"Another resync of {alias} is building (see the resyncs table in Cdc:StateSchema).");
                return;
            }

            Log.ResyncStarted(logger, table.ToString(), alias, old, created);
            Report("creating", "Waiting for the sink to write every change into both indices.");
            if (!await store.WaitConfirmedAsync(id.Value, options.ResyncSinkTimeout, cancellationToken))
            {
                await AbandonAsync(id.Value, progress, $"The sink did not confirm writing into {created} within {options.ResyncSinkTimeout.TotalSeconds:0} s (Consistency:ResyncSinkTimeout). Is it running?", Report);
                return;
            }

            var source = await SourceTables.DescribeAsync(connections, table, types, cancellationToken);
            progress.RowsEstimated = await keys.CountAsync(source, cancellationToken);
            Report("snapshotting");
            await foreach (var page in keys.ReadAsync(source, options.PageSize, cancellationToken))
            {
                if (await WritePageAsync(table, page, created, cancellationToken) is { } failure)
                {
                    await AbandonAsync(id.Value, progress, failure, Report);
                    return;
                }

                progress.RowsDone += page.Count;
                Report("snapshotting");
            }

            Report("catching-up", "Waiting for the sink to acknowledge every change committed before now.");
            var end = await sink.CurrentWalAsync(cancellationToken);
            var state = await CatchUpAsync(end, cancellationToken);
            if (state != SinkState.Caught)
            {
                await AbandonAsync(id.Value, progress, state == SinkState.NotStreaming
                    ? $"The sink was not streaming for {options.ResyncCatchUpTimeout.TotalSeconds:0} s (Consistency:ResyncCatchUpTimeout); nothing was swapped. Resync again once it runs."
                    : $"The sink did not acknowledge the end of the snapshot within {options.ResyncCatchUpTimeout.TotalSeconds:0} s (Consistency:ResyncCatchUpTimeout).", Report);
                return;
            }

            await _aliases.RefreshAsync(created, cancellationToken);
            Report("swapping");
            var now = await _aliases.TargetsAsync(alias, cancellationToken);
            if (now.Count != 1 || now[0] != old)
            {
                await AbandonAsync(id.Value, progress, $"{alias} was moved by someone else meanwhile (now {string.Join(", ", now)}); nothing was swapped.", Report);
                return;
            }

            await _aliases.SwapAsync(alias, old, created, keepOldIndex, cancellationToken);
            await store.EndAsync(id.Value, ResyncSchema.Done, null, CancellationToken.None);
            Log.ResyncDone(logger, table.ToString(), alias, created, progress.RowsDone, old, keepOldIndex ? "kept" : "deleted");
            Report("done", keepOldIndex ? $"{old} kept" : $"{old} deleted");
        }
        catch (Exception ex) when (id is not null && ex is not OutOfMemoryException)
        {
            // Cancelled (the client went away) or failed before the swap completed: abandon cleanly.
            await AbandonAsync(id.Value, progress, ex is OperationCanceledException ? "Cancelled." : ex.Message, Report);
            if (ex is not OperationCanceledException)
            {
                Log.ResyncFailed(logger, table.ToString(), ex.Message, ex);
            }
        }
        finally
        {
            _running.TryRemove(alias, out _);
        }
    }

    /// <summary>
    /// Waits until the sink's slot has confirmed <paramref name="end"/>. A sink that is restarting (its slot briefly
    /// inactive) is waited for: its next run replays into both indices, so the resync can still complete.
    /// </summary>
    private async Task<SinkState> CatchUpAsync(ulong end, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.ResyncCatchUpTimeout;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            var state = await sink.WaitForAsync(end, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken);
            if (state != SinkState.NotStreaming || DateTime.UtcNow >= deadline)
            {
                return state;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>Null when every row of the page is written (or superseded by the stream); else why not.</summary>
    private async Task<string?> WritePageAsync(TableId table, List<string> ids, string index, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var results = await writer.RefreshIntoAsync(table, ids, index, cancellationToken);
            var failed = results.Where(r => r.Outcome == RefreshOutcome.Failed).ToList();
            if (failed.Count == 0)
            {
                return null;
            }

            if (failed.Any(f => !f.Transient) || attempt == TransientAttempts)
            {
                var first = failed.FirstOrDefault(f => !f.Transient) ?? failed[0];
                return $"{failed.Count} rows could not be written into {index}; the first, {first.DocumentId}: {first.ErrorType}: {first.ErrorReason}";
            }

            ids = [.. failed.Select(f => f.DocumentId)];
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
        }
    }

    /// <summary>
    /// Ends the resync as abandoned: the alias never moved; the new index is deleted once the sink confirms it has
    /// stopped writing into it (else left, named in the detail, so it cannot come back half-written behind us).
    /// </summary>
    private async Task AbandonAsync(long id, ResyncProgress progress, string reason, Action<string, string> report)
    {
        using var cts = new CancellationTokenSource(options.ResyncSinkTimeout + TimeSpan.FromSeconds(10));
        var detail = reason;
        try
        {
            await store.EndAsync(id, ResyncSchema.Abandoned, reason, cts.Token);
            if (await store.WaitReleasedAsync(id, options.ResyncSinkTimeout, cts.Token)
                && !(await _aliases.TargetsAsync(progress.Alias, cts.Token)).Contains(progress.NewIndex))
            {
                await _aliases.DeleteIndexAsync(progress.NewIndex, cts.Token);
            }
            else
            {
                detail += $" {progress.NewIndex} was left in place (the sink did not confirm it stopped writing into it); delete it later.";
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            detail += $" Cleaning up failed ({ex.Message}); the service abandons it again at its next start.";
        }

        Log.ResyncAbandoned(logger, progress.Table, progress.Alias, progress.NewIndex, detail);
        report("failed", detail);
    }
}
