using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Resync;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Writing;

/// <summary>
/// Routes actions to lanes by document (so one document's writes stay in order); the lanes number their actions
/// and settle them in the <see cref="AckLedger"/>, which says what may be acknowledged.
/// </summary>
internal sealed class BulkWriter
{
    private readonly BulkLane[] _lanes;
    private readonly ByteBudget _budget;
    private readonly AckLedger _ledger;
    private Task? _running;

    // Dual writes during a resync. The dispatcher bumps _enqueueEpoch before it reads the targets and after it has
    // numbered the actions (odd while an enqueue is in progress); SetDualWritesAsync swaps the targets, then waits for
    // an enqueue in progress to end. Both sides use full fences (Interlocked), so either the dispatcher sees the new
    // targets or the switch waits for it: after the switch every action numbered later honours the new targets.
    private DualWriteTargets _dualWrites = DualWriteTargets.None;
    private long _enqueueEpoch;

    public BulkWriter(SearchClusterClient client, DeadLetterWriter deadLetters, PipelineObserver observer, WriterOptions options, AckLedger ledger, ILogger logger)
    {
        _ledger = ledger;
        _budget = new ByteBudget(options.MaxBufferedBytes);
        _lanes = Enumerable.Range(0, options.Lanes).Select(i => new BulkLane(i, client, deadLetters, observer, options, _budget, ledger, logger)).ToArray();
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

    /// <summary>The current dual-write targets.</summary>
    public DualWriteTargets DualWrites => Volatile.Read(ref _dualWrites);

    public async ValueTask EnqueueAsync(IndexAction action, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _enqueueEpoch);
        try
        {
            // The same action, with the same external version, into each index a resync is building for this alias:
            // the new index never holds anything staler than the live one.
            var extra = Volatile.Read(ref _dualWrites).For(action.Index);
            await EnqueueOneAsync(action, cancellationToken);
            foreach (var index in extra)
            {
                await EnqueueOneAsync(action with { Index = index }, cancellationToken);
            }
        }
        finally
        {
            Interlocked.Increment(ref _enqueueEpoch);
        }
    }

    /// <summary>
    /// Switches the dual-write targets; returns once every action numbered from now on honours them, with the number
    /// below which actions may still carry the old ones (for <see cref="WaitSettledAsync"/>).
    /// </summary>
    public async Task<long> SetDualWritesAsync(DualWriteTargets targets, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _dualWrites, targets);
        var epoch = Interlocked.Read(ref _enqueueEpoch);
        while ((epoch & 1) == 1 && Interlocked.Read(ref _enqueueEpoch) == epoch)
        {
            await Task.Delay(1, cancellationToken);
        }

        return _ledger.Next;
    }

    /// <summary>Waits until every action numbered below <paramref name="number"/> is settled.</summary>
    public async Task WaitSettledAsync(long number, CancellationToken cancellationToken)
    {
        while (_ledger.SettledBelow() < number)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    private async ValueTask EnqueueOneAsync(IndexAction action, CancellationToken cancellationToken)
    {
        await _budget.TakeAsync(action.EstimatedBytes, cancellationToken);
        var lane = _lanes[(int)((uint)HashCode.Combine(action.Index, action.Id) % (uint)_lanes.Length)];
        await lane.EnqueueAsync(action, cancellationToken);
    }

    /// <summary>Waits until every lane has settled everything it was given (a barrier, e.g. before a truncate).</summary>
    /// <remarks>A lane failure cancels the dispatcher's token, which ends this wait.</remarks>
    public Task DrainAsync(CancellationToken cancellationToken) => _ledger.WaitAllSettledAsync(cancellationToken);

    public void Complete()
    {
        foreach (var lane in _lanes)
        {
            lane.Complete();
        }
    }
}
