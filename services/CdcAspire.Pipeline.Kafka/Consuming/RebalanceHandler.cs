using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Kafka.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// The rebalance protocol of a <see cref="ConsumerSession"/>. librdkafka calls these inside <c>Consume</c>, so they
/// run on the session's <see cref="ConsumeThread"/>, between two steps of its read loop, never beside one.
/// </summary>
internal sealed class RebalanceHandler(PartitionTracker partitions, KafkaSourceOptions options, KafkaSourceMetrics metrics, ILogger logger)
{
    private volatile bool closing;

    /// <summary>The session is closing: the pipeline has drained, so a revocation commits without waiting.</summary>
    public void Closing() => closing = true;

    /// <summary>
    /// Starts each partition explicitly: at its committed offset, or (never committed) at the beginning, because
    /// <c>auto.offset.reset=error</c> would otherwise fail partitions a new group has not read yet.
    /// </summary>
    public List<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> client, List<TopicPartition> assigned)
    {
        List<TopicPartitionOffset> committed;
        try
        {
            committed = client.Committed(assigned, TimeSpan.FromSeconds(30));
        }
        catch (KafkaException ex)
        {
            throw new PipelineException($"Reading the committed offsets of group '{options.GroupId}' failed ({ex.Error.Reason}); retrying.", isTransient: true, ex);
        }

        var startAtEnd = options.AutoOffsetReset == "latest";
        var starts = committed.Select(c => StartOffsets.For(c, startAtEnd)).ToList();
        partitions.Assign(assigned);
        metrics.Rebalance("assigned");
        Log.PartitionsAssigned(logger, string.Join(',', starts));
        return starts;
    }

    /// <summary>
    /// Runs inside Consume on the consume thread, so nothing more is read while it waits. The pipeline keeps
    /// acknowledging what it already holds (its writers do not need this thread); once everything yielded from the
    /// revoked partitions is acknowledged, or the flush timeout passes, their offsets are committed before the
    /// partitions go to another member. On close the pipeline has already drained, so it commits without waiting.
    /// Under the default (eager) protocol Kafka accepts this commit while the group prepares the rebalance; should a
    /// broker refuse it (librdkafka's mock cluster answers REBALANCE_IN_PROGRESS), the new owner re-reads from the
    /// last periodic commit: duplicates, never loss, and versions make them no-ops.
    /// </summary>
    public void OnRevoked(IConsumer<byte[]?, byte[]?> client, List<TopicPartitionOffset> revoked)
    {
        var topicPartitions = revoked.Select(p => p.TopicPartition).ToList();
        var drained = partitions.RevokeAndWait(topicPartitions, closing ? TimeSpan.Zero : options.RevocationFlushTimeout);
        if (!drained && !closing)
        {
            metrics.RevocationTimeout();
            Log.RevocationFlushTimedOut(logger, string.Join(',', topicPartitions), options.RevocationFlushTimeout);
        }

        var offsets = partitions.Remove(topicPartitions);
        var committed = "nothing";
        if (offsets.Count > 0)
        {
            try
            {
                client.Commit(offsets);
                committed = string.Join(',', offsets);
            }
            catch (KafkaException ex)
            {
                Log.CommitFailed(logger, string.Join(',', offsets), ex);
            }
        }

        metrics.Rebalance("revoked");
        Log.PartitionsRevoked(logger, string.Join(',', topicPartitions), committed);
    }

    public void OnLost(IConsumer<byte[]?, byte[]?> client, List<TopicPartitionOffset> lost)
    {
        // Another member may already own them: committing now could move its offsets backwards.
        partitions.Remove(lost.Select(p => p.TopicPartition));
        metrics.Rebalance("lost");
        Log.PartitionsLost(logger, string.Join(',', lost));
    }
}
