using CdcAspire.Pipeline.Changes;
using Confluent.Kafka;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// Where an assigned partition starts, under <c>auto.offset.reset=error</c>
/// (https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md, <c>auto.offset.reset</c>): a partition
/// the group never committed starts at the beginning (a new group reads the snapshot) or, with
/// <see cref="KafkaSourceOptions.AutoOffsetReset"/> <c>latest</c>, at the end; a committed offset is used as is. If
/// that offset no longer exists (deleted by retention) librdkafka reports <see cref="ErrorCode.Local_AutoOffsetReset"/>
/// instead of silently jumping ahead past events that were never indexed.
/// </summary>
internal static class StartOffsets
{
    public static TopicPartitionOffset For(TopicPartitionOffset committed, bool startAtEnd) =>
        committed.Offset.Value >= 0
            ? committed
            : new TopicPartitionOffset(committed.TopicPartition, startAtEnd ? Offset.End : Offset.Beginning);

    /// <summary>The run failure for a consume error, when it is a committed offset lost to retention; otherwise null.</summary>
    public static PipelineException? LostToRetention(Error error, string groupId) =>
        error.Code == ErrorCode.Local_AutoOffsetReset
            ? new PipelineException(
                $"Group '{groupId}' has a committed offset that Kafka no longer holds ({error.Reason}): events were lost to retention " +
                "before they were indexed, so continuing would silently skip them. Re-snapshot into a new index: point the sink at a " +
                "new index and a new Cdc:Kafka:GroupId, and have the connector take a new snapshot (snapshot.mode=always, or a new " +
                "connector name/topic.prefix). Raise retention.ms on the topics so it cannot happen again.",
                isTransient: false)
            : null;
}
