using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Writing;
using CdcAspire.Pipeline.Kafka.Consuming;
using CdcAspire.Pipeline.Kafka.Debezium;
using CdcAspire.Pipeline.Kafka.Diagnostics;
using Confluent.Kafka;
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
public sealed partial class KafkaChangeSource : IChangeSource
{
    /// <summary>The value of <c>Cdc:Source</c> that selects this source, and its name in logs, metrics and dead letters.</summary>
    public const string SourceName = SourceNames.Kafka;

    private readonly KafkaSourceOptions options;
    private readonly DeadLetterWriter deadLetters;
    private readonly ILogger logger;
    private readonly KafkaSourceMetrics metrics;
    private readonly DebeziumDecoder decoder;
    private readonly PartitionTracker partitions = new();
    private IConsumer<byte[]?, byte[]?>? consumer;
    private Task? inFlightPoll;
    private Error? fatalError;
    private bool subscribed;
    private int readStarted;
    private volatile bool closing;

    public KafkaChangeSource(
        IOptions<KafkaSourceOptions> options,
        DeadLetterWriter deadLetters,
        ILogger<KafkaChangeSource> logger,
        IMeterFactory meterFactory)
    {
        this.options = options.Value;
        KafkaSourceOptionsValidator.ThrowIfInvalid(this.options);
        this.deadLetters = deadLetters;
        this.logger = logger;
        metrics = new KafkaSourceMetrics(meterFactory);
        decoder = new DebeziumDecoder(DebeziumDecoderSettings.From(this.options));
    }

    public string Name => SourceName;

    /// <summary>Creates the consumer and checks the brokers answer; throws a transient <see cref="PipelineException"/> if not.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var client = EnsureConsumer();
        try
        {
            await Task.Run(
                () =>
                {
                    using var admin = new DependentAdminClientBuilder(client.Handle).Build();
                    return admin.GetMetadata(TimeSpan.FromSeconds(10));
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex)
        {
            throw new PipelineException(
                $"Kafka at '{options.BootstrapServers}' did not answer a metadata request ({ex.Error.Reason}). Check ConnectionStrings:kafka and that the brokers are up.",
                isTransient: true,
                ex);
        }
    }

    /// <summary>Reads once per instance: the sink creates a fresh source for each run (ChangeSourceFactory).</summary>
    /// <exception cref="InvalidOperationException">This instance was already read.</exception>
    public IAsyncEnumerable<SourceItem> ReadAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref readStarted, 1) != 0)
        {
            throw new InvalidOperationException(
                "ReadAsync was already called on this KafkaChangeSource. Its consumer, partition state and pending " +
                "checkpoints belong to one run; create a new instance for each run (ActivatorUtilities.CreateInstance<KafkaChangeSource>).");
        }

        return ReadCoreAsync(cancellationToken);
    }

    private async IAsyncEnumerable<SourceItem> ReadCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = EnsureConsumer();
        Subscribe(client);
        var skipped = new SkippedCheckpoints();
        var resnapshots = new ResnapshotDetector();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (fatalError is { } fatal)
            {
                throw new PipelineException($"The Kafka consumer failed fatally: {fatal.Code}: {fatal.Reason}. Restart the sink.", isTransient: false);
            }

            var result = await PollAsync(client, skipped.Remaining(options.PollTimeout), cancellationToken).ConfigureAwait(false);

            // A message fetched before its partition was revoked belongs to the new owner now.
            if (result?.Message is null || !partitions.TryGetGeneration(result.TopicPartition, out var generation))
            {
                if (skipped.Due)
                {
                    foreach (var merged in ReleaseSkipped(skipped))
                    {
                        yield return merged;
                    }
                }

                continue;
            }

            var checkpoint = new KafkaCheckpoint(result.Topic, result.Partition.Value, result.Offset.Value, generation);
            var decoded = decoder.Decode(result.Topic, result.Message.Key, result.Message.Value, result.Message.Timestamp.UnixTimestampMs);
            if (decoded.Change is { Kind: ChangeKind.Truncate } truncate &&
                await PartitionCountAsync(client, result.Topic, cancellationToken).ConfigureAwait(false) != 1)
            {
                decoded = DecodeResult.Failed(UnorderedTruncate(result.Topic), truncate.Table.ToString());
            }

            if (decoded.Change is null && decoded.Error is null)
            {
                metrics.Message("skipped", decoded.Skip.ToString());
                Log.Skipped(logger, result.Topic, result.Partition.Value, result.Offset.Value, decoded.Skip.ToString());
                skipped.Add(checkpoint);
                if (skipped.Due)
                {
                    foreach (var merged in ReleaseSkipped(skipped))
                    {
                        yield return merged;
                    }
                }

                continue;
            }

            // Merged skips go first, so checkpoints stay in read order per partition.
            foreach (var merged in ReleaseSkipped(skipped))
            {
                yield return merged;
            }

            if (decoded.Change is { } change)
            {
                if (resnapshots.ShouldWarn(result.TopicPartition, change))
                {
                    Log.ResnapshotWithoutCommit(logger, result.Topic, result.Partition.Value);
                }

                metrics.Message("change", change.Kind.ToString());
                yield return change;
            }
            else
            {
                await DeadLetterAsync(result, decoded.Table, decoded.Error!, cancellationToken).ConfigureAwait(false);
            }

            partitions.Yielded(result.TopicPartition, result.Offset.Value);
            yield return checkpoint with { CommitTime = decoded.Change?.CommitTime };
        }
    }

    public ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        if (checkpoint is not KafkaCheckpoint kafka)
        {
            throw new ArgumentException($"Checkpoint {checkpoint} was not produced by the Kafka source.", nameof(checkpoint));
        }

        partitions.Acknowledge(kafka, StoreOffset);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        closing = true;
        if (inFlightPoll is { } poll)
        {
            try
            {
                await poll.ConfigureAwait(false);
            }
            catch (KafkaException)
            {
                // The loop that started it has already reported or abandoned it; closing is all that is left.
            }
        }

        if (consumer is { } client)
        {
            consumer = null;
            // Close leaves the group cleanly: the revocation handler commits what was acknowledged.
            await Task.Run(() =>
            {
                try
                {
                    client.Close();
                }
                catch (KafkaException ex)
                {
                    Log.CommitFailed(logger, "on close", ex);
                }
                finally
                {
                    client.Dispose();
                }
            }).ConfigureAwait(false);
        }
    }
}
