using System.Diagnostics;
using System.Threading.Channels;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Status;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Writing;

/// <summary>
/// One sequential exporter: it cuts batches from its bounded channel (by count, bytes and age), sends each with
/// <c>_bulk</c>, retries what is transient without end, dead-letters what Elasticsearch rejects, and only then marks
/// the batch complete. One request in flight per lane, and every document always in the same lane, keeps the writes
/// of a document in order.
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
    private readonly Channel<(IndexAction Action, long Sequence)> _channel;
    private readonly SearchClusterClient _client;
    private readonly DeadLetterWriter _deadLetters;
    private readonly PipelineMetrics _metrics;
    private readonly WriterOptions _options;
    private readonly ByteBudget _budget;
    private readonly AsyncSignal _settled;
    private readonly ILogger _logger;
    /// <summary>How long a filling batch waits for the next action before it is sent as it is.</summary>
    private static readonly TimeSpan LingerTick = TimeSpan.FromMilliseconds(1);

    private long _lastAssigned = -1;
    private long _lastCompleted = -1;

    public BulkLane(SearchClusterClient client, DeadLetterWriter deadLetters, PipelineMetrics metrics, WriterOptions options, ByteBudget budget, AsyncSignal settled, ILogger logger)
    {
        _budget = budget;
        _settled = settled;
        _client = client;
        _deadLetters = deadLetters;
        _metrics = metrics;
        _options = options;
        _logger = logger;
        _channel = Channel.CreateBounded<(IndexAction, long)>(new BoundedChannelOptions(options.LaneCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // backpressure to the source, never a drop
            SingleReader = true,
            SingleWriter = true,
        });
    }

    /// <summary>Highest sequence handed to this lane (written only by the dispatcher).</summary>
    public long LastAssigned => Volatile.Read(ref _lastAssigned);

    /// <summary>Highest sequence this lane has settled; lanes settle in order.</summary>
    public long LastCompleted => Volatile.Read(ref _lastCompleted);

    public bool IsIdle => LastCompleted == LastAssigned;

    public async ValueTask EnqueueAsync(IndexAction action, long sequence, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastAssigned, sequence);
        await _channel.Writer.WriteAsync((action, sequence), cancellationToken);
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
            Take(reader, ref cut);
            if (!wasIdle)
            {
                cut = await FillAsync(reader, cut, cancellationToken);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            await SendAsync(batch, cancellationToken);
            Volatile.Write(ref _lastCompleted, cut.LastSequence);
            _budget.Release(cut.Bytes);
            _settled.Set();
            batch.Clear();
        }
    }

    private struct BatchCut(List<IndexAction> batch)
    {
        public readonly List<IndexAction> Batch = batch;
        public int Bytes;
        public long LastSequence = -1;
    }

    private bool IsFull(in BatchCut cut) => cut.Batch.Count >= _options.MaxBatchCount || cut.Bytes >= _options.MaxBatchBytes;

    /// <summary>Takes what is waiting now, up to the count and byte limits.</summary>
    private void Take(ChannelReader<(IndexAction Action, long Sequence)> reader, ref BatchCut cut)
    {
        while (!IsFull(cut) && reader.TryRead(out var item))
        {
            cut.Batch.Add(item.Action);
            cut.Bytes += item.Action.EstimatedBytes;
            cut.LastSequence = item.Sequence;
        }
    }

    /// <summary>
    /// Under load, waits for more actions until the batch is full, <see cref="WriterOptions.MaxBatchAge"/> has
    /// passed, or the stream pauses for a tick (a transaction's rows arrive together; waiting past them only adds
    /// latency). Bigger batches under load cut the cost per action of a request (HTTP, response parsing).
    /// </summary>
    private async Task<BatchCut> FillAsync(ChannelReader<(IndexAction Action, long Sequence)> reader, BatchCut cut, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.MaxBatchAge.TotalSeconds * Stopwatch.Frequency);
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

            Take(reader, ref cut);
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
            catch (ElasticsearchException ex) when (!IsItemProblem(ex))
            {
                // Transient (429, 5xx, 408, timeouts, dropped connections) or a setup problem (401/403, a proxy's
                // 404/405): nothing is acknowledged while this lasts; configuration, not dead letters, fixes it.
                var delay = Backoff.Delay(attempt++, _options.InitialRetryDelay, _options.MaxRetryDelay);
                if (ex.IsTransient || ex.StatusCode == System.Net.HttpStatusCode.RequestTimeout)
                {
                    Log.BulkRetry(_logger, attempt, delay, ex.Message);
                }
                else
                {
                    Log.BulkRefused(_logger, (int?)ex.StatusCode, attempt, delay, ex.Message);
                }

                _metrics.Retried(1);
                await Task.Delay(delay, cancellationToken);
                continue;
            }
            catch (ElasticsearchException) when (pending.Count > 1)
            {
                // A whole-request 400/413 means one action spoiled the request; send them one by one to find it.
                foreach (var single in pending)
                {
                    await SendAsync([single], cancellationToken);
                }

                break;
            }
            catch (ElasticsearchException ex)
            {
                deadLetters.Add(ToDeadLetter(pending[0], ex.ErrorType ?? "request_rejected", ex.Message));
                break;
            }

            _metrics.BulkCompleted(pending.Count, Stopwatch.GetElapsedTime(started));
            var retry = Settle(pending, outcomes, deadLetters);
            pending = retry;
            if (retry.Count > 0)
            {
                var delay = Backoff.Delay(attempt++, _options.InitialRetryDelay, _options.MaxRetryDelay);
                Log.ItemsRetry(_logger, retry.Count, attempt, delay);
                _metrics.Retried(retry.Count);
                await Task.Delay(delay, cancellationToken);
            }
        }

        await _deadLetters.WriteAsync(deadLetters, cancellationToken);
    }

    /// <summary>A whole-request failure caused by the content (malformed or too large), not by the service or setup.</summary>
    private static bool IsItemProblem(ElasticsearchException ex) =>
        ex.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.RequestEntityTooLarge;

    private List<IndexAction> Settle(List<IndexAction> sent, BulkItemOutcome[] outcomes, List<DeadLetter> deadLetters)
    {
        var retry = new List<IndexAction>();

        // Counted per table and recorded once per batch: per-item metric calls cost more than the item itself.
        TableStatus? table = null;
        int indexed = 0, deleted = 0, superseded = 0;
        for (var i = 0; i < sent.Count; i++)
        {
            var action = sent[i];
            if (table is null || table.Table != action.Change.Table)
            {
                Record(table, indexed, deleted, superseded);
                (indexed, deleted, superseded) = (0, 0, 0);
                table = _metrics.Status.Table(action.Change.Table, action.Index);
            }

            switch (outcomes[i].Status)
            {
                case BulkItemStatus.Applied when action.Operation == WriteOperation.Index:
                    indexed++;
                    break;
                case BulkItemStatus.Applied:
                    deleted++;
                    break;
                case BulkItemStatus.Superseded:
                    superseded++;
                    break;
                case BulkItemStatus.Retry:
                    retry.Add(action);
                    break;
                default:
                    deadLetters.Add(ToDeadLetter(action, outcomes[i].ErrorType ?? $"http_{outcomes[i].HttpStatus}",
                        $"Elasticsearch rejected the document ({outcomes[i].HttpStatus}): {outcomes[i].ErrorReason}. " +
                        "Fix the index template or the data, then replay the dead letter."));
                    break;
            }
        }

        Record(table, indexed, deleted, superseded);
        return retry;
    }

    private void Record(TableStatus? table, int indexed, int deleted, int superseded)
    {
        if (table is null)
        {
            return;
        }

        if (indexed > 0)
        {
            _metrics.Indexed(table, indexed);
        }

        if (deleted > 0)
        {
            _metrics.Deleted(table, deleted);
        }

        if (superseded > 0)
        {
            _metrics.Superseded(table, superseded);
        }
    }

    private DeadLetter ToDeadLetter(IndexAction action, string type, string reason) => DeadLetter.Rejected(_deadLetters.Source, action, type, reason);
}
