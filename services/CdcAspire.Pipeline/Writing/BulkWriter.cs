using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Options;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Writing;

/// <summary>
/// Routes actions to lanes by document (so one document's writes stay in order) and tells which sequence numbers
/// are settled. Its single caller, the dispatcher, numbers actions 0, 1, 2, ... in source order.
/// </summary>
internal sealed class BulkWriter
{
    private readonly BulkLane[] _lanes;
    private readonly ByteBudget _budget;
    private Task? _running;

    public BulkWriter(SearchClusterClient client, DeadLetterWriter deadLetters, PipelineMetrics metrics, WriterOptions options, AsyncSignal settled, ILogger logger)
    {
        _budget = new ByteBudget(options.MaxBufferedBytes);
        _lanes = Enumerable.Range(0, options.Lanes).Select(_ => new BulkLane(client, deadLetters, metrics, options, _budget, settled, logger)).ToArray();
    }

    /// <summary>Completes when every lane has drained after <see cref="Complete"/>.</summary>
    public Task Completion => _running ?? Task.CompletedTask;

    /// <summary>Starts the lanes; <paramref name="onFault"/> hears of the first failure of any lane at once.</summary>
    public void Start(Action<Exception> onFault, CancellationToken cancellationToken) =>
        _running = Task.WhenAll(_lanes.Select(l => Task.Run(async () =>
        {
            try
            {
                await l.RunAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                onFault(ex);
                throw;
            }
        }, cancellationToken)));

    public async ValueTask EnqueueAsync(IndexAction action, long sequence, CancellationToken cancellationToken)
    {
        await _budget.TakeAsync(action.EstimatedBytes, cancellationToken);
        var lane = _lanes[(int)((uint)HashCode.Combine(action.Index, action.Id) % (uint)_lanes.Length)];
        await lane.EnqueueAsync(action, sequence, cancellationToken);
    }

    /// <summary>
    /// Every sequence below the returned value is settled. <paramref name="nextSequence"/> must be read before calling
    /// (a lane is assigned a sequence before the dispatcher moves past it), so a lane that looks idle has settled
    /// everything below it. A busy lane settles in order, so all its sequences up to its last completed are done.
    /// </summary>
    public long SettledBelow(long nextSequence)
    {
        var watermark = nextSequence;
        foreach (var lane in _lanes)
        {
            var assigned = lane.LastAssigned;
            var completed = lane.LastCompleted;
            if (completed != assigned)
            {
                watermark = Math.Min(watermark, completed + 1);
            }
        }

        return watermark;
    }

    /// <summary>Waits until every lane has settled everything it was given (a barrier, e.g. before a truncate).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        // A lane failure cancels the dispatcher's token, which ends this wait.
        while (!_lanes.All(l => l.IsIdle))
        {
            await Task.Delay(1, cancellationToken);
        }
    }

    public void Complete()
    {
        foreach (var lane in _lanes)
        {
            lane.Complete();
        }
    }
}
