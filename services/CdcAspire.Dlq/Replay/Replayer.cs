using System.Runtime.CompilerServices;
using CdcAspire.Dlq.Breaker;
using CdcAspire.Dlq.Diagnostics;
using CdcAspire.Dlq.Options;
using CdcAspire.Dlq.Store;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Refresh;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CdcAspire.Dlq.Replay;

/// <summary>
/// Replays dead letters by the one rule (<see cref="CurrentStateWriter"/>): each letter's row is re-read and written
/// with a version fenced before the read, or its document deleted when the row is gone, so a replay is never stale
/// and replaying twice changes nothing. Letters are claimed first (<see cref="DeadLetterUpdater"/>), so concurrent
/// replays of one letter replay it once; Elasticsearch sits behind the <see cref="ElasticsearchBreaker"/>.
/// </summary>
public sealed class Replayer(
    DeadLetterUpdater updater,
    CurrentStateWriter writer,
    VersionFence fence,
    ElasticsearchBreaker breaker,
    ErrorClasses classes,
    RetrySchedule schedule,
    DlqMetrics metrics,
    IOptions<DlqOptions> options,
    ILogger<Replayer> logger)
{
    /// <summary>
    /// Replays <paramref name="ids"/> that are in <paramref name="states"/>, one batch at a time, yielding one item per
    /// id. <paramref name="action"/> is <c>replay</c> (a person) or <c>retry</c> (automatic), kept in the history.
    /// </summary>
    public async IAsyncEnumerable<ReplayItem> ReplayAsync(
        IReadOnlyList<long> ids, IReadOnlyList<DeadLetterState> states, string action,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var claimant = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        foreach (var batch in ids.Chunk(options.Value.BatchSize))
        {
            var claimed = await updater.ClaimAsync(batch, states, claimant, options.Value.ClaimTimeout, cancellationToken);
            var claimedIds = claimed.Select(c => c.Id).ToHashSet();
            foreach (var id in batch.Where(id => !claimedIds.Contains(id)))
            {
                metrics.Replayed(ReplayOutcome.Skipped, action);
                yield return new ReplayItem(id, ReplayOutcome.Skipped, "claimed_elsewhere",
                    "Another replay (another call or replica) holds this dead letter, or it is not in the selected states; nothing was done.");
            }

            List<ReplayItem> results;
            try
            {
                results = await ReplayClaimedAsync(claimed, claimant, action, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopped mid-batch: what was not completed goes back untouched for the next replay.
                await updater.ReleaseAsync(claimed.Select(c => c.Id).ToList(), claimant, CancellationToken.None);
                throw;
            }

            foreach (var result in results)
            {
                yield return result;
            }
        }
    }

    private async Task<List<ReplayItem>> ReplayClaimedAsync(
        IReadOnlyList<DeadLetterRecord> claimed, string claimant, string action, CancellationToken cancellationToken)
    {
        var results = new List<ReplayItem>(claimed.Count);
        var replayable = new List<DeadLetterRecord>();
        foreach (var letter in claimed)
        {
            if (letter.Table is null || letter.DocumentId is null || letter.Operation is not ("index" or "delete"))
            {
                results.Add(await FailAsync(letter, claimant, action, "not_replayable",
                    letter.Operation == "truncate"
                        ? "A truncate has no row to re-read: resynchronise the table (a new snapshot), then discard this dead letter."
                        : "An undecodable message names no row to re-read: fix the decoder or the producer and resend the message, then discard this dead letter.",
                    countsAsAttempt: false, cancellationToken));
            }
            else
            {
                replayable.Add(letter);
            }
        }

        // Kafka topology: the fence is Debezium's confirmed position; a letter above it cannot be won by a re-read yet
        // (the stale document's version may be higher than the fence), so it waits a little instead of "superseded".
        if (fence.Mode == VersionFenceMode.DebeziumSlot && replayable.Any(l => l.Version is not null))
        {
            var taken = await fence.TakeAsync(cancellationToken);
            foreach (var letter in replayable.Where(l => l.Version > taken.ExternalVersion).ToList())
            {
                replayable.Remove(letter);
                results.Add(await DeferAsync(letter, claimant, action, "waiting_for_source",
                    "Debezium has not yet confirmed a position past this change, so a re-read could still be older than the document; it is retried automatically in a moment.",
                    cancellationToken));
            }
        }

        foreach (var group in replayable.GroupBy(l => l.Table!, StringComparer.Ordinal))
        {
            var letters = group.ToList();
            if (!breaker.TryEnter())
            {
                var message = breaker.OpenMessage();
                foreach (var letter in letters)
                {
                    results.Add(await DeferAsync(letter, claimant, action, "breaker_open", message, cancellationToken));
                }

                continue;
            }

            IReadOnlyList<RefreshResult> refreshed;
            try
            {
                var documentIds = letters.Select(l => l.DocumentId!).Distinct(StringComparer.Ordinal).ToList();
                refreshed = await writer.RefreshAsync(TableId.Parse(group.Key), documentIds, cancellationToken);
            }
            catch (Exception ex) when (ex is ElasticsearchException or HttpRequestException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                breaker.Failed(ex.Message);
                foreach (var letter in letters)
                {
                    results.Add(await FailAsync(letter, claimant, action, (ex as ElasticsearchException)?.ErrorType ?? "elasticsearch_unavailable",
                        $"Elasticsearch did not take the replay: {ex.Message}. It is retried automatically with backoff.", countsAsAttempt: true,
                        cancellationToken, transient: true));
                }

                continue;
            }
            catch (Exception ex) when (ex is PipelineException or NpgsqlException)
            {
                var transient = ex is NpgsqlException { IsTransient: true } or PipelineException { IsTransient: true };
                foreach (var letter in letters)
                {
                    results.Add(await FailAsync(letter, claimant, action, transient ? "source_unavailable" : "replay_refused", ex.Message,
                        countsAsAttempt: true, cancellationToken, transient));
                }

                continue;
            }

            var failures = refreshed.Where(r => r.Outcome == RefreshOutcome.Failed).ToList();
            if (failures.Count > 0 && failures.Count == refreshed.Count && failures.All(f => f.Transient))
            {
                breaker.Failed($"{failures[0].ErrorType}: {failures[0].ErrorReason}");
            }
            else
            {
                breaker.Succeeded();
            }

            var byId = refreshed.ToDictionary(r => r.DocumentId, StringComparer.Ordinal);
            foreach (var letter in letters)
            {
                var r = byId[letter.DocumentId!];
                results.Add(r.Outcome == RefreshOutcome.Failed
                    ? await FailAsync(letter, claimant, action, r.ErrorType ?? "failed", r.ErrorReason ?? "Elasticsearch refused the document.",
                        countsAsAttempt: true, cancellationToken, r.Transient || classes.IsTransient(r.ErrorType))
                    : await ResolveAsync(letter, claimant, action, r.Outcome, cancellationToken));
            }
        }

        return results;
    }

    private async Task<ReplayItem> ResolveAsync(
        DeadLetterRecord letter, string claimant, string action, RefreshOutcome refreshed, CancellationToken cancellationToken)
    {
        var outcome = refreshed switch
        {
            RefreshOutcome.Deleted => ReplayOutcome.Deleted,
            RefreshOutcome.Superseded => ReplayOutcome.Superseded,
            _ => ReplayOutcome.Indexed,
        };
        var name = outcome.ToString().ToLowerInvariant();
        await updater.CompleteAsync(letter.Id, claimant,
            new Completion(DeadLetterState.Resolved, false, null, null, null, action, name, null), cancellationToken);
        metrics.Replayed(outcome, action);
        Log.Replayed(logger, letter.Id, action, name);
        return new ReplayItem(letter.Id, outcome);
    }

    private async Task<ReplayItem> FailAsync(
        DeadLetterRecord letter, string claimant, string action, string errorType, string reason, bool countsAsAttempt,
        CancellationToken cancellationToken, bool transient = false)
    {
        var attempts = letter.Attempts + (countsAsAttempt ? 1 : 0);
        var archive = countsAsAttempt && attempts >= options.Value.MaxAttempts;
        var retryAt = !archive && (transient || classes.IsHealable(errorType)) ? schedule.Next(attempts) : (DateTimeOffset?)null;
        var completion = new Completion(
            archive ? DeadLetterState.Archived : DeadLetterState.Pending, countsAsAttempt, errorType, reason, retryAt,
            action, "failed", $"{errorType}: {reason}",
            archive ? $"Failed {attempts} replays (Dlq:MaxAttempts = {options.Value.MaxAttempts}); no longer retried automatically." : null);
        await updater.CompleteAsync(letter.Id, claimant, completion, cancellationToken);
        metrics.Replayed(ReplayOutcome.Failed, action);
        Log.ReplayFailed(logger, letter.Id, action, errorType, attempts, archive);
        return new ReplayItem(letter.Id, ReplayOutcome.Failed, errorType, reason, archive);
    }

    /// <summary>Not tried (breaker open, source not there yet): no attempt counted, the letter comes back soon.</summary>
    private async Task<ReplayItem> DeferAsync(
        DeadLetterRecord letter, string claimant, string action, string errorType, string reason, CancellationToken cancellationToken)
    {
        var retryAt = breaker.Snapshot.RetryAt ?? schedule.Next(1);
        await updater.CompleteAsync(letter.Id, claimant,
            new Completion(DeadLetterState.Pending, false, null, null, retryAt, action, "failed", $"{errorType}: {reason}", DeferredBy: errorType),
            cancellationToken);
        metrics.Replayed(ReplayOutcome.Failed, action);
        return new ReplayItem(letter.Id, ReplayOutcome.Failed, errorType, reason);
    }
}
