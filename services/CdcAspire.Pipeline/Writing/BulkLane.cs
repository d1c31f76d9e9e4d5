using System.Diagnostics;
using System.Threading.Channels;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Options;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Writing;

/// <summary>
/// One sequential exporter, the loop of the bulk writer: it cuts batches from its bounded channel (by count, bytes
/// and age), sends each with <c>_bulk</c>, retries what is transient without end, dead-letters what Elasticsearch
/// rejects, and only then settles the batch in the <see cref="AckLedger"/>. What a response means is decided by
/// <see cref="BulkOutcomeClassifier"/>; what happened is told to the <see cref="PipelineObserver"/>. One request in
/// flight per lane, and every document always in the same lane, keeps the writes of a document in order.
/// </summary>
/// <remarks>
/// Why deletes stay safe beyond <c>index.gc_deletes</c> (60 s by default, after which Elasticsearch forgets a deleted
/// document's version and a stale write could bring it back): a stale write can only reach Elasticsearch after a
/// newer delete if it is sent after it. Within a run, a document's writes leave in order from one lane and a batch is
/// retried until it is settled before the next batch of that lane is sent. After a crash the source replays a suffix
/// of the history from the acknowledged position, again in order, so an older write is always followed by the delete
/// that superseded it. The only remaining window is a request that times out on our side yet is executed by
/// Elasticsearch later than the retry that followed it; the request timeout is kept under 60 s so such a zombie is
/// still refused by the tombstone.
/// </remarks>
internal sealed class BulkLane
{
    /// <summary>How long a filling batch waits for the next action before it is sent as it is.</summary>
    private static readonly TimeSpan LingerTick = TimeSpan.FromMilliseconds(1);

    private readonly Channel<(IndexAction Action, long Sequence, long EnqueuedAt)> _channel;
    private readonly int _lane;
    private readonly SearchClusterClient _client;
    private readonly DeadLetterWriter _deadLetters;
    private readonly PipelineObserver _observer;
    private readonly WriterOptions _options;
    private readonly ByteBudget _budget;
    private readonly AckLedger _ledger;
    private readonly ILogger _logger;

    public BulkLane(int lane, SearchClusterClient client, DeadLetterWriter deadLetters, PipelineObserver observer, WriterOptions options, ByteBudget budget, AckLedger ledger, ILogger logger)
    {
        _lane = lane;
        _budget = budget;
        _ledger = ledger;
        _client = client;
        _deadLetters = deadLetters;
        _observer = observer;
        _options = options;
        _logger = logger;
        _channel = Channel.CreateBounded<(IndexAction, long, long)>(new BoundedChannelOptions(options.LaneCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // backpressure to the source, never a drop
            SingleReader = true,
            SingleWriter = true,
        });
    }

    /// <summary>Numbers the action in the ledger (this lane owns it from now on) and queues it; waits while the lane is full.</summary>
    public async ValueTask EnqueueAsync(IndexAction action, CancellationToken cancellationToken)
    {
        var sequence = _ledger.Assign(_lane);
        await _channel.Writer.WriteAsync((action, sequence, Stopwatch.GetTimestamp()), cancellationToken);
    }

    public void Complete() => _channel.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _channel.Reader;
        var batch = new List<IndexAction>(_options.MaxBatchCount);
        while (true)
        {
            // An idle lane (nothing waiting, nothing in flight) sends its first actions at once, so latency at low
            // rates is one round trip. Actions found waiting mean the lane is behind: let the batch fill.
            var ready = reader.WaitToReadAsync(cancellationToken);
            var wasIdle = !ready.IsCompleted;
            if (!await ready)
            {
                break;
            }

            var cut = new BatchCut(batch);
            Take(reader, ref cut, _options.MaxBatchCount, _options.MaxBatchBytes);
            if (!wasIdle)
            {
                cut = await FillAsync(reader, cut, cancellationToken);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            await SendAsync(batch, cancellationToken);
            _budget.Release(cut.Bytes);
            _ledger.Settle(_lane, cut.LastSequence);
            batch.Clear();
        }
    }

    private struct BatchCut(List<IndexAction> batch)
    {
        public readonly List<IndexAction> Batch = batch;
        public int Bytes;
        public long LastSequence = -1;
        public long FirstEnqueuedAt;
    }

    private bool IsFull(in BatchCut cut) => cut.Batch.Count >= _options.MaxBatchCount || cut.Bytes >= _options.MaxBatchBytes;

    /// <summary>Takes what is waiting now, up to the count and byte limits.</summary>
    private static void Take(ChannelReader<(IndexAction Action, long Sequence, long EnqueuedAt)> reader, ref BatchCut cut, int maxCount, int maxBytes)
    {
        while (cut.Batch.Count < maxCount && cut.Bytes < maxBytes && reader.TryRead(out var item))
        {
            if (cut.Batch.Count == 0)
            {
                cut.FirstEnqueuedAt = item.EnqueuedAt;
            }

            cut.Batch.Add(item.Action);
            cut.Bytes += item.Action.EstimatedBytes;
            cut.LastSequence = item.Sequence;
        }
    }

    /// <summary>
    /// Under load, waits for more actions until the batch is full, its oldest action is
    /// <see cref="WriterOptions.MaxBatchAge"/> old, or the stream pauses for a tick (a transaction's rows arrive together; waiting past them only adds
    /// latency). Bigger batches under load cut the cost per action of a request (HTTP, response parsing).
    /// </summary>
    private async Task<BatchCut> FillAsync(ChannelReader<(IndexAction Action, long Sequence, long EnqueuedAt)> reader, BatchCut cut, CancellationToken cancellationToken)
    {
        // The age of a batch is the age of its oldest action: a lane behind a slow server already holds actions
        // that waited a whole request, and lingering on top of that would only slow it down.
        var deadline = cut.FirstEnqueuedAt + (long)(_options.MaxBatchAge.TotalSeconds * Stopwatch.Frequency);
        while (!IsFull(cut))
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            await Task.Delay(remaining < LingerTick ? remaining : LingerTick, cancellationToken);
            if (!reader.TryPeek(out _))
            {
                break;
            }

            Take(reader, ref cut, _options.MaxBatchCount, _options.MaxBatchBytes);
        }

        return cut;
    }

    /// <summary>Sends until every action is applied, superseded or dead-lettered.</summary>
    private async Task SendAsync(List<IndexAction> batch, CancellationToken cancellationToken)
    {
        var pending = batch;
        var deadLetters = new List<DeadLetter>();
        for (var attempt = 0; pending.Count > 0;)
        {
            BulkItemOutcome[] outcomes;
            var started = Stopwatch.GetTimestamp();
            try
            {
                outcomes = await _client.BulkAsync(pending, cancellationToken);
            }
            catch (ElasticsearchException ex)
            {
                switch (BulkOutcomeClassifier.Classify(ex, pending.Count))
                {
                    case RequestFailureAction.RetryLater:
                        // Nothing is acknowledged while this lasts; configuration, not dead letters, fixes a setup problem.
                        var delay = Backoff.Delay(attempt++, _options.InitialRetryDelay, _options.MaxRetryDelay);
                        if (ex.IsTransient || ex.StatusCode == System.Net.HttpStatusCode.RequestTimeout)
                        {
                            Log.BulkRetry(_logger, attempt, delay, ex.Message);
                        }
                        else
                        {
                            Log.BulkRefused(_logger, (int?)ex.StatusCode, attempt, delay, ex.Message);
                        }

                        _observer.Retried(1);
                        await Task.Delay(delay, cancellationToken);
                        continue;
                    case RequestFailureAction.SendOneByOne:
                        foreach (var single in pending)
                        {
                            await SendAsync([single], cancellationToken);
                        }

                        break;
                    default:
                        deadLetters.Add(DeadLetter.Rejected(_deadLetters.Source, pending[0], ex.ErrorType ?? "request_rejected", ex.Message));
                        break;
                }

                break;
            }

            _observer.BulkCompleted(pending.Count, Stopwatch.GetElapsedTime(started));
            var outcome = BulkOutcomeClassifier.Classify(_deadLetters.Source, pending, outcomes);
            foreach (var table in outcome.Tables)
            {
                _observer.Settled(table.Table, table.Index, table.Indexed, table.Deleted, table.Superseded);
            }

            deadLetters.AddRange(outcome.DeadLetters);
            pending = outcome.Retry;
            if (pending.Count > 0)
            {
                var delay = Backoff.Delay(attempt++, _options.InitialRetryDelay, _options.MaxRetryDelay);
                Log.ItemsRetry(_logger, pending.Count, attempt, delay);
                _observer.Retried(pending.Count);
                await Task.Delay(delay, cancellationToken);
            }
        }

        await _deadLetters.WriteAsync(deadLetters, cancellationToken);
    }
}
