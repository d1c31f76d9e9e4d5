using System.Text;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Kafka.Consuming;
using CdcAspire.Pipeline.Kafka.Debezium;
using CdcAspire.Pipeline.Kafka.Diagnostics;
using Confluent.Kafka;

namespace CdcAspire.Pipeline.Kafka;

/// <summary>Polling, dead letters, offsets and topic metadata of the read loop.</summary>
public sealed partial class KafkaChangeSource
{
    private readonly Dictionary<string, int> partitionCounts = new(StringComparer.Ordinal);

    private async Task<ConsumeResult<byte[]?, byte[]?>?> PollAsync(IConsumer<byte[]?, byte[]?> client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var poll = Task.Run(() => client.Consume(timeout), CancellationToken.None);
        inFlightPoll = poll;
        try
        {
            return await poll.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
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

    private async Task DeadLetterAsync(ConsumeResult<byte[]?, byte[]?> result, string? table, DecodeException error, CancellationToken cancellationToken)
    {
        var key = result.Message.Key is { } k ? Encoding.UTF8.GetString(k.AsSpan(0, Math.Min(k.Length, 512))) : "null";
        var letter = DeadLetter.Undecodable(DeadLetterSource.Kafka, table, $"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}",
            result.Message.Value, error.ErrorType, $"{error.Message} (record key: {key})");
        // Durable before the checkpoint that covers it is yielded, so acknowledging it can never lose the message. The
        // same writer as every other dead letter: its retries while the store is down, its scrubbed log line.
        await deadLetters.WriteAsync([letter], cancellationToken).ConfigureAwait(false);
        metrics.Message("dead_letter", error.ErrorType);
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

    /// <summary>Yields the merged skip checkpoints of partitions still assigned to this generation.</summary>
    private IEnumerable<KafkaCheckpoint> ReleaseSkipped(SkippedCheckpoints skipped)
    {
        if (skipped.IsEmpty)
        {
            yield break;
        }

        foreach (var checkpoint in skipped.Take())
        {
            var partition = new TopicPartition(checkpoint.Topic, checkpoint.Partition);
            if (partitions.TryGetGeneration(partition, out var generation) && generation == checkpoint.Generation)
            {
                partitions.Yielded(partition, checkpoint.Offset);
                yield return checkpoint;
            }
        }
    }

    /// <summary>
    /// Debezium sends truncate events with a null key
    /// (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-truncate-events),
    /// so the producer's partitioner puts them on any partition: with more than one, a truncate is not ordered
    /// against the row events of its table and could delete rows inserted after it.
    /// </summary>
    private static DecodeException UnorderedTruncate(string topic) => new(
        "truncate_unordered",
        $"Truncate event on '{topic}', which has more than one partition: truncates have a null key, so they are not ordered " +
        "with the table's row events. Use a single-partition topic for tables that are truncated, or skip truncates in the " +
        "connector with skipped.operations=t.");

    private async ValueTask<int> PartitionCountAsync(IConsumer<byte[]?, byte[]?> client, string topic, CancellationToken cancellationToken)
    {
        if (partitionCounts.TryGetValue(topic, out var cached))
        {
            return cached;
        }

        try
        {
            var count = await Task.Run(
                () =>
                {
                    using var admin = new DependentAdminClientBuilder(client.Handle).Build();
                    return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
                },
                cancellationToken).ConfigureAwait(false);
            partitionCounts[topic] = count;
            return count;
        }
        catch (KafkaException ex)
        {
            throw new PipelineException($"Reading the partition count of '{topic}' failed ({ex.Error.Reason}); retrying.", isTransient: true, ex);
        }
    }
}
