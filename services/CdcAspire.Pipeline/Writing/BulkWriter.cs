using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Options;
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

    public async ValueTask EnqueueAsync(IndexAction action, CancellationToken cancellationToken)
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
