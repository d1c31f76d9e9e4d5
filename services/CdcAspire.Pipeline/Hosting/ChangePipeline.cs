using System.Collections.Concurrent;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Writing;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Hosting;

/// <summary>
/// One run of the pipeline: source -> mapper -> bulk writer lanes -> acknowledgement. The dispatcher (this class's
/// read loop) numbers actions in source order; the acknowledger acknowledges a checkpoint once every action numbered
/// before it is settled (applied, superseded or dead-lettered). A failure anywhere ends the run before anything after
/// it is acknowledged; the host starts a new run, which resumes from the last acknowledged position.
/// </summary>
public sealed class ChangePipeline(
    IChangeSource source,
    ElasticsearchClient elasticsearch,
    DeadLetterWriter deadLetters,
    CdcOptions options,
    PipelineMetrics metrics,
    ILogger logger,
    TimeProvider time)
{
    /// <summary>How long a stopping pipeline keeps sending what it already read before giving up (it is redone on restart).</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan AckInterval = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentQueue<(long Boundary, Checkpoint Checkpoint)> _checkpoints = new();
    private readonly DocumentMapper _mapper = new(TableMapping.FromOptions(options), source.Name);
    private readonly IReadOnlyDictionary<TableId, TableMapping> _mappings = TableMapping.FromOptions(options);
    private long _nextSequence;

    private PipelineStatus Status => metrics.Status;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Status.SourceName = source.Name;
        foreach (var mapping in _mappings.Values)
        {
            Status.Table(mapping.Table, mapping.Index);
        }

        Log.PipelineStarting(logger, source.Name, _mappings.Count, elasticsearch.Endpoint.ToString());
        await WaitForElasticsearchAsync(cancellationToken);
        await IndexTemplateApplier.ApplyAsync(elasticsearch, options.IndexTemplatesPath, logger, cancellationToken);
        await source.PrepareAsync(cancellationToken);

        using var lanesCts = new CancellationTokenSource();
        var writer = new BulkWriter(elasticsearch, deadLetters, metrics, options.Writer, logger);
        writer.Start(lanesCts.Token);
        using var ackCts = new CancellationTokenSource();
        var acknowledger = AcknowledgeLoopAsync(ackCts.Token);
        try
        {
            await DispatchAsync(writer, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A normal stop: drain below.
        }
        finally
        {
            writer.Complete();
            lanesCts.CancelAfter(DrainTimeout);
            try
            {
                await writer.Completion;
            }
            catch (OperationCanceledException)
            {
                // Not drained in time: what was not acknowledged is redone on restart.
            }

            await ackCts.CancelAsync();
            await acknowledger;
            using var finalAck = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await AcknowledgeSettledAsync(writer, finalAck.Token);
            Log.PipelineStopped(logger, Status.LastAcknowledged);
        }

        // The dispatcher ended without cancellation only when the source ended; lanes may have faulted.
        await writer.Completion;

        async Task AcknowledgeLoopAsync(CancellationToken ct)
        {
            using var timer = new PeriodicTimer(AckInterval, time);
            try
            {
                while (await timer.WaitForNextTickAsync(ct))
                {
                    await AcknowledgeSettledAsync(writer, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopping.
            }
        }
    }

    private async Task DispatchAsync(BulkWriter writer, CancellationToken cancellationToken)
    {
        await foreach (var item in source.ReadAsync(cancellationToken))
        {
            if (writer.Completion.IsFaulted)
            {
                await writer.Completion;
            }

            if (Status.IsPaused)
            {
                Log.Paused(logger);
                var phase = Status.Phase;
                Status.SetPhase(PipelinePhase.Paused);
                await Status.WaitWhilePausedAsync(cancellationToken);
                Status.SetPhase(phase == PipelinePhase.Paused ? PipelinePhase.Streaming : phase);
                Log.Resumed(logger);
            }

            if (item.Checkpoint is { } checkpoint)
            {
                _checkpoints.Enqueue((Volatile.Read(ref _nextSequence), checkpoint));
                continue;
            }

            var change = item.Change!;
            var result = _mapper.Map(change);
            if (_mappings.TryGetValue(change.Table, out var mapping))
            {
                metrics.Received(Status.Table(change.Table, mapping.Index), change.Kind);
            }

            if (result.DeadLetter is { } letter)
            {
                await deadLetters.WriteAsync([letter], cancellationToken);
            }

            if (result.TruncateIndex is { } index)
            {
                await TruncateAsync(writer, index, cancellationToken);
            }

            foreach (var action in result.Actions)
            {
                var sequence = _nextSequence;
                await writer.EnqueueAsync(action, sequence, cancellationToken);
                Volatile.Write(ref _nextSequence, sequence + 1);
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
                Log.Truncated(logger, index, deleted);
                return;
            }
            catch (ElasticsearchException ex) when (ex.IsTransient)
            {
                var delay = Backoff.Delay(attempt, options.Writer.InitialRetryDelay, options.Writer.MaxRetryDelay);
                Log.BulkRetry(logger, attempt + 1, delay, ex.Message);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private async Task AcknowledgeSettledAsync(BulkWriter writer, CancellationToken cancellationToken)
    {
        var settledBelow = writer.SettledBelow(Volatile.Read(ref _nextSequence));
        Checkpoint? last = null;
        while (_checkpoints.TryPeek(out var entry) && entry.Boundary <= settledBelow)
        {
            _checkpoints.TryDequeue(out _);
            last = entry.Checkpoint;
            if (entry.Checkpoint.CommitTime is { } committed)
            {
                metrics.Acknowledged(time.GetUtcNow() - committed);
            }
        }

        Status.LagSeconds = _checkpoints.TryPeek(out var oldest) && oldest.Checkpoint.CommitTime is { } t
            ? Math.Max(0, (time.GetUtcNow() - t).TotalSeconds)
            : 0;
        if (last is not null)
        {
            await source.AcknowledgeAsync(last, cancellationToken);
            Status.SetAcknowledged(last.ToString() ?? string.Empty, time.GetUtcNow());
        }
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
            catch (ElasticsearchException ex)
            {
                var delay = Backoff.Delay(attempt, options.Writer.InitialRetryDelay, options.Writer.MaxRetryDelay);
                Log.BulkRefused(logger, (int?)ex.StatusCode, attempt + 1, delay, ex.Message);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }
}
