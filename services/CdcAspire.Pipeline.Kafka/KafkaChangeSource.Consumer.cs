using System.Globalization;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Kafka.Consuming;
using CdcAspire.Pipeline.Kafka.Diagnostics;
using Confluent.Kafka;

namespace CdcAspire.Pipeline.Kafka;

/// <summary>Consumer construction and the rebalance protocol.</summary>
public sealed partial class KafkaChangeSource
{
    private IConsumer<byte[]?, byte[]?> EnsureConsumer()
    {
        ObjectDisposedException.ThrowIf(closing, this);
        if (consumer is { } existing)
        {
            return existing;
        }

        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig(new Dictionary<string, string>(options.Consumer, StringComparer.Ordinal))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            // Offsets are stored only when the pipeline acknowledges (StoreOffset), and librdkafka commits what
            // is stored every CommitInterval; revocation and close commit explicitly.
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = (int)Math.Max(1, options.CommitInterval.TotalMilliseconds),
            // Never jump over a committed offset that retention deleted: OnAssigned picks the start of partitions the
            // group never committed, and an out-of-range committed offset fails the run (StartOffsets).
            AutoOffsetReset = AutoOffsetReset.Error,
            EnablePartitionEof = false,
        };
        consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler(OnError)
            .SetLogHandler((_, message) => OnLog(message))
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler(OnRevoked)
            .SetPartitionsLostHandler(OnLost)
            .Build();
        return consumer;
    }

    private void Subscribe(IConsumer<byte[]?, byte[]?> client)
    {
        if (subscribed)
        {
            return;
        }

        string subscription;
        if (options.Topics.Count > 0)
        {
            client.Subscribe(options.Topics);
            subscription = string.Join(',', options.Topics);
        }
        else
        {
            subscription = options.TopicPattern ?? "^" + EscapeRegex(options.TopicPrefix!) + "\\..*";
            client.Subscribe(subscription);
        }

        subscribed = true;
        Log.Subscribed(logger, subscription, options.GroupId);
    }

    private void OnError(IConsumer<byte[]?, byte[]?> client, Error error)
    {
        if (error.IsFatal)
        {
            fatalError = error;
        }

        Log.KafkaError(logger, error.Code.ToString(), error.Reason);
    }

    /// <summary>librdkafka logs with syslog levels: 0-3 (emergency..error) and 4 (warning) matter to an operator.</summary>
    private void OnLog(LogMessage message)
    {
        switch ((int)message.Level)
        {
            case <= 3:
                Log.KafkaLogError(logger, message.Facility, message.Message);
                break;
            case 4:
                Log.KafkaLogWarning(logger, message.Facility, message.Message);
                break;
            default:
                Log.KafkaLog(logger, message.Facility, message.Message);
                break;
        }
    }

    /// <summary>
    /// Starts each partition explicitly: at its committed offset, or (never committed) at the beginning, because
    /// <c>auto.offset.reset=error</c> would otherwise fail partitions a new group has not read yet.
    /// </summary>
    private List<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> client, List<TopicPartition> assigned)
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
    /// Runs inside Consume on the consume thread, so nothing more is yielded while it waits. The pipeline keeps
    /// acknowledging what it already holds (its writers do not need this thread); once everything yielded from the
    /// revoked partitions is acknowledged, or the flush timeout passes, their offsets are committed before the
    /// partitions go to another member. On close the pipeline has already drained, so it commits without waiting.
    /// Under the default (eager) protocol Kafka accepts this commit while the group prepares the rebalance; should a
    /// broker refuse it (librdkafka's mock cluster answers REBALANCE_IN_PROGRESS), the new owner re-reads from the
    /// last periodic commit: duplicates, never loss, and versions make them no-ops.
    /// </summary>
    private void OnRevoked(IConsumer<byte[]?, byte[]?> client, List<TopicPartitionOffset> revoked)
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

    private void OnLost(IConsumer<byte[]?, byte[]?> client, List<TopicPartitionOffset> lost)
    {
        // Another member may already own them: committing now could move its offsets backwards.
        partitions.Remove(lost.Select(p => p.TopicPartition));
        metrics.Rebalance("lost");
        Log.PartitionsLost(logger, string.Join(',', lost));
    }

    /// <summary>Escapes a literal topic prefix for librdkafka's POSIX-style regular expressions.</summary>
    private static string EscapeRegex(string literal) =>
        string.Concat(literal.Select(c => "\\^$.|?*+()[]{}".Contains(c, StringComparison.Ordinal)
            ? "\\" + c.ToString(CultureInfo.InvariantCulture)
            : c.ToString(CultureInfo.InvariantCulture)));
}
