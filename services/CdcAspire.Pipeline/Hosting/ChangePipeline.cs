using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Resync;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Writing;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Hosting;

/// <summary>
/// One run of the pipeline: source -> mapper -> bulk writer lanes -> acknowledgement. The dispatcher (this class's
/// read loop) hands actions to the lanes and records checkpoints in the <see cref="AckLedger"/>, which numbers the
/// actions in source order; the acknowledger acknowledges the checkpoints the ledger hands back as settled (every
/// action before them applied, superseded or dead-lettered). A failure anywhere ends the run before anything after
/// it is acknowledged; the host starts a new run, which resumes from the last acknowledged position.
/// </summary>
public sealed class ChangePipeline(
    IChangeSource source,
    SearchClusterClient elasticsearch,
    DeadLetterWriter deadLetters,
    CdcOptions options,
    PipelineObserver observer,
    ILoggerFactory loggers,
    TimeProvider time,
    ResyncFollower? resyncs = null)
{
    /// <summary>How long a stopping pipeline keeps sending what it already read before giving up (it is redone on restart).</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Longest the acknowledger sleeps without a signal (it also refreshes the lag figures then).</summary>
    private static readonly TimeSpan AckInterval = TimeSpan.FromMilliseconds(50);

    // Each part logs under its own category (ChangePipeline, BulkLane, the template guard), so a log filter can tell
    // the dispatcher from the lanes.
    private readonly ILogger _logger = loggers.CreateLogger<ChangePipeline>();
    private readonly AckLedger _ledger = new(options.Writer.Lanes);
    private readonly DocumentMapper _mapper = new(TableMapping.FromOptions(options), DeadLetterNames.ParseSource(source.Name));

    /// <summary>
    /// Commit time (UTC ticks) of the oldest change read since the last queued checkpoint, 0 when none: such changes
    /// (a large transaction still arriving, a change held while paused or while the lanes are full) are behind too.
    /// </summary>
    private long _openSince;

    private PipelineStatus Status => observer.Status;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Status.SourceName = source.Name;
        Status.AttachElasticsearch(elasticsearch.Availability);
        foreach (var mapping in _mapper.Mappings.Values)
        {
            Status.Table(mapping.Table, mapping.Index);
        }

        Log.PipelineStarting(_logger, source.Name, _mapper.Mappings.Count, elasticsearch.Endpoint.ToString());
        await WaitForElasticsearchAsync(cancellationToken);
        await IndexTemplateApplier.ApplyAsync(elasticsearch, options.IndexTemplatesPath, loggers.CreateLogger(typeof(IndexTemplateApplier)), cancellationToken);
        elasticsearch.KeepTemplates(options.IndexTemplatesPath, options.Writer.TemplateCheckInterval, loggers.CreateLogger<TemplateGuard>(), time);
        await EnsureAliasesAsync(cancellationToken);
        await source.PrepareAsync(cancellationToken);

        // The first failure anywhere (a lane, the acknowledger, the dispatcher) stops the dispatcher, so a dead lane
        // or acknowledger can never leave the run hanging with a healthy face; the run then fails and restarts.
        using var dispatchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? failure = null;
        void Fail(Exception ex)
        {
            Interlocked.CompareExchange(ref failure, ex, null);
            dispatchCts.Cancel();
        }

        using var lanesCts = new CancellationTokenSource();
        var writer = new BulkWriter(elasticsearch, deadLetters, observer, options.Writer, _ledger, loggers.CreateLogger<BulkLane>());
        writer.Start(Fail, lanesCts.Token);
        using var ackCts = new CancellationTokenSource();
        var acknowledger = AcknowledgeLoopAsync(ackCts.Token);
        using var resyncCts = CancellationTokenSource.CreateLinkedTokenSource(dispatchCts.Token);
        var resyncLoop = Task.CompletedTask;
        try
        {
            if (resyncs is not null)
            {
                // Before the first change is dispatched: a run that (re)starts during a resync writes into both
                // indices from its first action on.
                var run = ResyncFollower.Start(writer);
                await resyncs.LoadAsync(run, dispatchCts.Token);
                resyncLoop = resyncs.FollowAsync(run, resyncCts.Token);
            }

            await DispatchAsync(writer, dispatchCts.Token);
        }
        catch (OperationCanceledException) when (dispatchCts.IsCancellationRequested)
        {
            // A normal stop, or a failure recorded by Fail: drain below.
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            await resyncCts.CancelAsync();
            try
            {
                await resyncLoop;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The follower's own failure never hides the run's; the next run follows the table again.
                Log.ResyncPollFailed(_logger, ex.Message);
            }

            writer.Complete();
            lanesCts.CancelAfter(failure is null ? DrainTimeout : TimeSpan.Zero);
            try
            {
                await writer.Completion;
            }
            catch (Exception ex) when (ex is OperationCanceledException || failure is not null)
            {
                // Not drained in time, or already failing: what was not acknowledged is redone on restart.
            }

            await ackCts.CancelAsync();
            await acknowledger;
            try
            {
                // Settled work is acknowledged even when the run fails: it is durable downstream.
                using var finalAck = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await AcknowledgeSettledAsync(finalAck.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.FinalAcknowledgementFailed(_logger, ex.Message);
            }

            Log.PipelineStopped(_logger, Status.LastAcknowledged);
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        async Task AcknowledgeLoopAsync(CancellationToken ct)
        {
            try
            {
                while (true)
                {
                    await _ledger.WaitForChangeAsync(AckInterval, ct);
                    await AcknowledgeSettledAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopping.
            }
            catch (Exception ex)
            {
                Fail(ex);
            }
        }
    }

    private async Task DispatchAsync(BulkWriter writer, CancellationToken cancellationToken)
    {
        await foreach (var item in source.ReadAsync(cancellationToken))
        {
            if (item.Change is { } read && Volatile.Read(ref _openSince) == 0)
            {
                Volatile.Write(ref _openSince, (read.CommitTime ?? time.GetUtcNow()).UtcTicks);
            }

            if (Status.IsPaused)
            {
                Log.Paused(_logger);
                var phase = Status.Phase;
                Status.SetPhase(PipelinePhase.Paused);
                await Status.WaitWhilePausedAsync(cancellationToken);
                Status.SetPhase(phase == PipelinePhase.Paused ? PipelinePhase.Streaming : phase);
                Log.Resumed(_logger);
            }

            if (item.Checkpoint is { } checkpoint)
            {
                _ledger.Record(checkpoint, OpenSince() ?? checkpoint.CommitTime ?? time.GetUtcNow());
                Volatile.Write(ref _openSince, 0);
                continue;
            }

            var change = item.Change!;
            var result = _mapper.Map(change);
            if (_mapper.Mappings.TryGetValue(change.Table, out var mapping))
            {
                observer.Received(change.Table, mapping.Index, change.Kind);
            }

            if (result.DeadLetter is { } letter)
            {
                await deadLetters.WriteAsync([letter], cancellationToken);
            }

            if (result.TruncateIndex is { } index)
            {
                await TruncateAsync(writer, index, cancellationToken);
                foreach (var building in writer.DualWrites.For(index))
                {
                    await TruncateAsync(writer, building, cancellationToken);
                }
            }

            foreach (var action in result.Actions)
            {
                await writer.EnqueueAsync(action, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A truncate is a barrier: everything before it is settled first, then the index is emptied, then later changes
    /// flow again, so delete-by-query can never remove a write that came after the truncate.
    /// </summary>
    private async Task TruncateAsync(BulkWriter writer, string index, CancellationToken cancellationToken)
    {
        await writer.DrainAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await elasticsearch.RefreshAsync(index, cancellationToken);
                var deleted = await elasticsearch.DeleteAllAsync(index, cancellationToken);
                Log.Truncated(_logger, index, deleted);
                return;
            }
            catch (ElasticsearchException ex) when (ex.IsTransient)
            {
                var delay = Backoff.Delay(attempt, options.Writer.InitialRetryDelay, options.Writer.MaxRetryDelay);
                Log.BulkRetry(_logger, attempt + 1, delay, ex.Message);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Every followed index name becomes an alias before the first write (a concrete index of that name is migrated
    /// once), so a resync can rebuild the index behind it (<see cref="AliasMigrator"/>).
    /// </summary>
    private async Task EnsureAliasesAsync(CancellationToken cancellationToken)
    {
        var migrator = new AliasMigrator(elasticsearch, loggers.CreateLogger<AliasMigrator>());
        foreach (var mapping in _mapper.Mappings.Values)
        {
            await migrator.EnsureAliasAsync(mapping.Index, mapping.Table, cancellationToken);
        }
    }

    private async Task AcknowledgeSettledAsync(CancellationToken cancellationToken)
    {
        var settled = _ledger.TakeSettled();
        var now = time.GetUtcNow();
        foreach (var checkpoint in settled)
        {
            if (checkpoint.CommitTime is { } committed)
            {
                observer.Acknowledged(now - committed);
            }
        }

        // Lag is the age of the oldest change not yet acknowledged: the oldest pending checkpoint's oldest change, else
        // the oldest change read since the last checkpoint; 0 only when everything read is acknowledged.
        var oldestPending = _ledger.OldestPendingCommitTime ?? OpenSince();
        Status.LagSeconds = oldestPending is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0;
        foreach (var checkpoint in AckLedger.ToAcknowledge(settled))
        {
            await AcknowledgeAsync(checkpoint, cancellationToken);
        }
    }

    private DateTimeOffset? OpenSince() => Volatile.Read(ref _openSince) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    private async Task AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        await source.AcknowledgeAsync(checkpoint, cancellationToken);
        Status.SetAcknowledged(checkpoint.ToString() ?? string.Empty, time.GetUtcNow());
    }

    private async Task WaitForElasticsearchAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await elasticsearch.GetVersionAsync(cancellationToken);
                return;
            }
            catch (ElasticsearchException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                || ex.ErrorType == "unsupported_product")
            {
                // Not something waiting fixes: fail the run so status and health say so; the host retries later.
                throw new PipelineException(ex.Message, ex);
            }
            catch (ElasticsearchException ex)
            {
                var delay = Backoff.Delay(attempt, options.Writer.InitialRetryDelay, options.Writer.MaxRetryDelay);
                if (!ex.IsTransient)
                {
                    // Transient faults are logged once per outage by the client's availability tracker.
                    Log.BulkRefused(_logger, (int?)ex.StatusCode, attempt + 1, delay, ex.Message);
                }

                Status.SetPhase(PipelinePhase.Starting, $"Waiting for Elasticsearch: {ex.Message}");
                await Task.Delay(delay, cancellationToken);
            }
        }
    }
}
