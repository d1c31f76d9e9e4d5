using System.Text;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Kafka.Debezium;
using CdcAspire.Pipeline.Kafka.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// One run's Kafka consumer and everything that belongs to it, owned by its <see cref="ConsumeThread"/>: the consumer
/// is created, subscribed, polled and closed there, librdkafka runs the rebalance, error and log callbacks there
/// (inside <c>Consume</c>), and the read loop's state (merged skips, topic partition counts, the fatal error) is
/// touched only there. The reader asks for one step at a time (<see cref="NextAsync"/>), so nothing is consumed
/// ahead of the pipeline. The one way in from another thread is <see cref="Acknowledge"/>, through the
/// <see cref="PartitionTracker"/>'s lock, which a revocation waits on.
/// </summary>
internal sealed class ConsumerSession : IAsyncDisposable
{
    private readonly KafkaSourceOptions options;
    private readonly DebeziumDecoder decoder;
    private readonly KafkaSourceMetrics metrics;
    private readonly ILogger logger;
    private readonly ConsumeThread thread = new("kafka-consume");
    private readonly PartitionTracker partitions = new();
    private readonly RebalanceHandler rebalance;

    // The consume thread's own state.
    private readonly SkippedCheckpoints skipped = new();
    private readonly ResnapshotDetector resnapshots = new();
    private readonly TruncateGuard truncates = new();
    private IConsumer<byte[]?, byte[]?>? consumer;
    private Error? fatalError;
    private bool subscribed;

    // Read from other threads: the consumer acknowledgements store offsets on (StoreOffset is thread-safe), and
    // whether the session is closing.
    private volatile IConsumer<byte[]?, byte[]?>? storing;
    private volatile bool closing;

    public ConsumerSession(KafkaSourceOptions options, DebeziumDecoder decoder, KafkaSourceMetrics metrics, ILogger logger)
    {
        this.options = options;
        this.decoder = decoder;
        this.metrics = metrics;
        this.logger = logger;
        rebalance = new RebalanceHandler(partitions, options, metrics, logger);
    }

    /// <summary>Creates the consumer and checks the brokers answer; throws a transient <see cref="PipelineException"/> if not.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken) => thread.RunAsync(() =>
    {
        var client = EnsureConsumer();
        try
        {
            using var admin = new DependentAdminClientBuilder(client.Handle).Build();
            return admin.GetMetadata(TimeSpan.FromSeconds(10));
        }
        catch (KafkaException ex)
        {
            throw new PipelineException(
                $"Kafka at '{options.BootstrapServers}' did not answer a metadata request ({ex.Error.Reason}). Check ConnectionStrings:kafka and that the brokers are up.",
                isTransient: true,
                ex);
        }
    }).WaitAsync(cancellationToken);

    /// <summary>
    /// Polls once (subscribing first) and decodes what arrived. Cancelling abandons the wait, not the step: it ends
    /// on the consume thread, which closes the consumer only after it.
    /// </summary>
    public Task<ConsumeStep> NextAsync(CancellationToken cancellationToken) => thread.RunAsync(Step).WaitAsync(cancellationToken);

    /// <summary>Everything up to <paramref name="checkpoint"/> is durable downstream: store its offset for the next commit.</summary>
    public void Acknowledge(KafkaCheckpoint checkpoint) => partitions.Acknowledge(checkpoint, StoreOffset);

    public async ValueTask DisposeAsync()
    {
        closing = true;
        rebalance.Closing();
        try
        {
            // Queued behind a step still running, on the same thread. Close leaves the group cleanly: the revocation
            // handler commits what was acknowledged.
            await thread.RunAsync(Close).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Already disposed.
        }
        finally
        {
            thread.Dispose();
        }
    }

    private ConsumeStep Step()
    {
        var client = EnsureConsumer();
        Subscribe(client);
        if (fatalError is { } fatal)
        {
            throw new PipelineException($"The Kafka consumer failed fatally: {fatal.Code}: {fatal.Reason}. Restart the sink.", isTransient: false);
        }

        var result = Poll(client, skipped.Remaining(options.PollTimeout));

        // A message fetched before its partition was revoked belongs to the new owner now.
        if (result?.Message is null || !partitions.TryGetGeneration(result.TopicPartition, out var generation))
        {
            return skipped.Due ? new ConsumeStep(ReleaseSkipped(), null, null, null) : ConsumeStep.Nothing;
        }

        var checkpoint = new KafkaCheckpoint(result.Topic, result.Partition.Value, result.Offset.Value, generation);
        var decoded = decoder.Decode(result.Topic, result.Message.Key, result.Message.Value, result.Message.Timestamp.UnixTimestampMs);
        decoded = truncates.Check(client, result.Topic, decoded);

        if (decoded.Change is null && decoded.Error is null)
        {
            metrics.Message("skipped", decoded.Skip.ToString());
            Log.Skipped(logger, result.Topic, result.Partition.Value, result.Offset.Value, decoded.Skip.ToString());
            skipped.Add(checkpoint);
            return skipped.Due ? new ConsumeStep(ReleaseSkipped(), null, null, null) : ConsumeStep.Nothing;
        }

        // Merged skips go first, so checkpoints stay in read order per partition.
        var released = ReleaseSkipped();
        DeadLetter? letter = null;
        if (decoded.Change is { } change)
        {
            if (resnapshots.ShouldWarn(result.TopicPartition, change))
            {
                Log.ResnapshotWithoutCommit(logger, result.Topic, result.Partition.Value);
            }

            metrics.Message("change", change.Kind.ToString());
        }
        else
        {
            letter = Undecodable(result, decoded.Table, decoded.Error!);
        }

        partitions.Yielded(result.TopicPartition, result.Offset.Value);
        return new ConsumeStep(released, decoded.Change, letter, checkpoint with { CommitTime = decoded.Change?.CommitTime });
    }

    private ConsumeResult<byte[]?, byte[]?>? Poll(IConsumer<byte[]?, byte[]?> client, TimeSpan timeout)
    {
        try
        {
            return client.Consume(timeout);
        }
        catch (ConsumeException ex) when (StartOffsets.LostToRetention(ex.Error, options.GroupId) is { } lost)
        {
            throw lost;
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

    /// <summary>The merged skip checkpoints of partitions still assigned to the generation that read them.</summary>
    private List<KafkaCheckpoint> ReleaseSkipped()
    {
        var released = new List<KafkaCheckpoint>();
        if (skipped.IsEmpty)
        {
            return released;
        }

        foreach (var checkpoint in skipped.Take())
        {
            var partition = new TopicPartition(checkpoint.Topic, checkpoint.Partition);
            if (partitions.TryGetGeneration(partition, out var generation) && generation == checkpoint.Generation)
            {
                partitions.Yielded(partition, checkpoint.Offset);
                released.Add(checkpoint);
            }
        }

        return released;
    }

    /// <summary>The dead letter of a message that could not be decoded; the reader writes it before the message's checkpoint.</summary>
    private static DeadLetter Undecodable(ConsumeResult<byte[]?, byte[]?> result, string? table, DecodeException error)
    {
        var key = result.Message.Key is { } k ? Encoding.UTF8.GetString(k.AsSpan(0, Math.Min(k.Length, 512))) : "null";
        return DeadLetter.Undecodable(DeadLetterSource.Kafka, table, $"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}",
            result.Message.Value, error.ErrorType, $"{error.Message} (record key: {key})");
    }

    private void StoreOffset(KafkaCheckpoint checkpoint)
    {
        try
        {
            storing?.StoreOffset(new TopicPartitionOffset(checkpoint.Topic, new Partition(checkpoint.Partition), new Offset(checkpoint.Offset + 1)));
        }
        catch (KafkaException ex)
        {
            Log.StoreOffsetFailed(logger, checkpoint.ToString(), ex.Error.Reason);
        }
    }

    private IConsumer<byte[]?, byte[]?> EnsureConsumer()
    {
        ObjectDisposedException.ThrowIf(closing, this);
        if (consumer is { } existing)
        {
            return existing;
        }

        consumer = ConsumerFactory.Create(options, rebalance, OnError, logger);
        storing = consumer;
        return consumer;
    }

    private void Subscribe(IConsumer<byte[]?, byte[]?> client)
    {
        if (!subscribed)
        {
            var subscription = TopicSubscription.Subscribe(client, options);
            subscribed = true;
            Log.Subscribed(logger, subscription, options.GroupId);
        }
    }

    /// <summary>librdkafka reports errors from inside <c>Consume</c>: a fatal one ends the run at the next step.</summary>
    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            fatalError = error;
        }

        Log.KafkaError(logger, error.Code.ToString(), error.Reason);
    }

    private bool Close()
    {
        if (consumer is not { } client)
        {
            return false;
        }

        consumer = null;
        storing = null;
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

        return true;
    }
}
