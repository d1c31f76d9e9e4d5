using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Writing;
using CdcAspire.Pipeline.Kafka.Consuming;
using CdcAspire.Pipeline.Kafka.Debezium;
using CdcAspire.Pipeline.Kafka.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CdcAspire.Pipeline.Kafka;

/// <summary>
/// Debezium change events from Kafka as pipeline changes. One consumer in group <see cref="KafkaSourceOptions.GroupId"/>;
/// every message is followed by a <see cref="KafkaCheckpoint"/>, and its offset is stored for commit only when the
/// pipeline acknowledges that checkpoint (<c>enable.auto.offset.store=false</c>), so a crash redelivers exactly what
/// was not yet in Elasticsearch or the dead-letter store. Versions come from the events' commit order
/// (<see cref="CommitOrder"/>), never from Kafka offsets, so redelivery, rebalances and replays cannot make a
/// document stale.
/// </summary>
/// <remarks>
/// A facade over one <see cref="ConsumerSession"/>, which owns the consumer and its state on a thread of its own
/// (rebalances included); this class turns its steps into the pipeline's items and writes dead letters durably
/// before the checkpoint that covers them.
/// </remarks>
public sealed class KafkaChangeSource : IChangeSource
{
    /// <summary>The value of <c>Cdc:Source</c> that selects this source, its service key, and its name in logs and status.</summary>
    public const string SourceName = SourceNames.Kafka;

    private readonly DeadLetterWriter deadLetters;
    private readonly KafkaSourceMetrics metrics;
    private readonly ConsumerSession session;
    private int readStarted;

    public KafkaChangeSource(
        IOptions<KafkaSourceOptions> options,
        DeadLetterWriter deadLetters,
        ILogger<KafkaChangeSource> logger,
        IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        KafkaSourceOptionsValidator.ThrowIfInvalid(settings);
        this.deadLetters = deadLetters;
        metrics = new KafkaSourceMetrics(meterFactory);
        session = new ConsumerSession(settings, new DebeziumDecoder(DebeziumDecoderSettings.From(settings)), metrics, logger);
    }

    public string Name => SourceName;

    /// <summary>Creates the consumer and checks the brokers answer; throws a transient <see cref="PipelineException"/> if not.</summary>
    public Task PrepareAsync(CancellationToken cancellationToken) => session.ConnectAsync(cancellationToken);

    /// <summary>Reads once per instance: the sink resolves a fresh source for each run (a keyed scoped service).</summary>
    /// <exception cref="InvalidOperationException">This instance was already read.</exception>
    public IAsyncEnumerable<SourceItem> ReadAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref readStarted, 1) != 0)
        {
            throw new InvalidOperationException(
                "ReadAsync was already called on this KafkaChangeSource. Its consumer, partition state and pending " +
                "checkpoints belong to one run; create a new instance for each run (a scope per run, or ActivatorUtilities.CreateInstance<KafkaChangeSource>).");
        }

        return ReadCoreAsync(cancellationToken);
    }

    public ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        if (checkpoint is not KafkaCheckpoint kafka)
        {
            throw new ArgumentException($"Checkpoint {checkpoint} was not produced by the Kafka source.", nameof(checkpoint));
        }

        session.Acknowledge(kafka);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => session.DisposeAsync();

    private async IAsyncEnumerable<SourceItem> ReadCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ConsumeStep step;
            try
            {
                step = await session.NextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            foreach (var released in step.Released)
            {
                yield return released;
            }

            if (step.Change is { } change)
            {
                yield return change;
            }

            if (step.DeadLetter is { } letter)
            {
                // Durable before the checkpoint that covers it is yielded, so acknowledging it can never lose the
                // message. The same writer as every other dead letter: its retries while the store is down, its
                // scrubbed log line.
                await deadLetters.WriteAsync([letter], cancellationToken).ConfigureAwait(false);
                metrics.Message("dead_letter", letter.ErrorType);
            }

            if (step.Checkpoint is { } checkpoint)
            {
                yield return checkpoint;
            }
        }
    }
}
