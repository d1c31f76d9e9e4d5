using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
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
    public const string SourceName = "kafka";

    private readonly KafkaSourceOptions options;
    private readonly IDeadLetterStore deadLetters;
    private readonly ILogger logger;
    private readonly KafkaSourceMetrics metrics;
    private readonly DebeziumDecoder decoder;
    private readonly PartitionTracker partitions = new();
    private IConsumer<byte[]?, byte[]?>? consumer;
    private Task? inFlightPoll;
    private Error? fatalError;
    private bool subscribed;
    private volatile bool closing;

    public KafkaChangeSource(
        IOptions<KafkaSourceOptions> options,
        IDeadLetterStore deadLetters,
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

    public async IAsyncEnumerable<SourceItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = EnsureConsumer();
        Subscribe(client);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (fatalError is { } fatal)
            {
                throw new PipelineException($"The Kafka consumer failed fatally: {fatal.Code}: {fatal.Reason}. Restart the sink.", isTransient: false);
            }

            var result = await PollAsync(client, cancellationToken).ConfigureAwait(false);
            if (result?.Message is null)
            {
                continue;
            }

            // A message fetched before its partition was revoked belongs to the new owner now.
            if (!partitions.TryGetGeneration(result.TopicPartition, out var generation))
            {
                continue;
            }

            var decoded = decoder.Decode(result.Topic, result.Message.Key, result.Message.Value);
            if (decoded.Change is { } change)
            {
                metrics.Message("change", change.Kind.ToString());
                yield return change;
            }
            else if (decoded.Error is { } error)
            {
                await DeadLetterAsync(result, decoded.Table, error, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                metrics.Message("skipped", decoded.Skip.ToString());
                Log.Skipped(logger, result.Topic, result.Partition.Value, result.Offset.Value, decoded.Skip.ToString());
            }

            partitions.Yielded(result.TopicPartition, result.Offset.Value);
            yield return new KafkaCheckpoint(result.Topic, result.Partition.Value, result.Offset.Value, generation)
            {
                CommitTime = decoded.Change?.CommitTime,
            };
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

    private async Task<ConsumeResult<byte[]?, byte[]?>?> PollAsync(IConsumer<byte[]?, byte[]?> client, CancellationToken cancellationToken)
    {
        var poll = Task.Run(() => client.Consume(options.PollTimeout), CancellationToken.None);
        inFlightPoll = poll;
        try
        {
            return await poll.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            Log.ConsumeFailed(logger, ex.Error.Reason);
            return null;
        }
        catch (ConsumeException ex)
        {
            throw new PipelineException($"The Kafka consumer failed fatally: {ex.Error.Code}: {ex.Error.Reason}. Restart the sink.", isTransient: false, ex);
        }
    }

    private async Task DeadLetterAsync(ConsumeResult<byte[]?, byte[]?> result, string? table, DecodeException error, CancellationToken cancellationToken)
    {
        var key = result.Message.Key is { } k ? Encoding.UTF8.GetString(k.AsSpan(0, Math.Min(k.Length, 512))) : "null";
        var letter = new DeadLetter(
            Source: SourceName,
            Table: table,
            Index: null,
            DocumentId: null,
            Operation: "decode",
            Position: $"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}",
            Version: null,
            Document: null,
            Raw: result.Message.Value,
            ErrorType: error.ErrorType,
            ErrorReason: $"{error.Message} (record key: {key})");
        // Durable before the checkpoint that covers it is yielded, so acknowledging it can never lose the message.
        await deadLetters.WriteAsync([letter], cancellationToken).ConfigureAwait(false);
        metrics.Message("dead_letter", error.ErrorType);
        Log.DeadLettered(logger, result.Topic, result.Partition.Value, result.Offset.Value, error.ErrorType, error.Message);
    }

    private void StoreOffset(KafkaCheckpoint checkpoint)
    {
        try
        {
            consumer?.StoreOffset(new TopicPartitionOffset(checkpoint.Topic, new Partition(checkpoint.Partition), new Offset(checkpoint.Offset + 1)));
        }
        catch (KafkaException ex)
        {
            Log.StoreOffsetFailed(logger, checkpoint.ToString(), ex.Error.Reason);
        }
    }
}
