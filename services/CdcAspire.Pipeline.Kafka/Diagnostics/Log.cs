using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Kafka.Diagnostics;

/// <summary>All log messages of CdcAspire.Pipeline.Kafka (EventIds 4000-4999; 4012-4015 belong to CdcAspire.KafkaConnect).</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Information, "Kafka source subscribed to {Subscription} as group {GroupId}")]
    public static partial void Subscribed(ILogger logger, string subscription, string groupId);

    [LoggerMessage(4001, LogLevel.Information, "Partitions assigned: {Partitions}")]
    public static partial void PartitionsAssigned(ILogger logger, string partitions);

    [LoggerMessage(4002, LogLevel.Information, "Partitions revoked: {Partitions}; committed {Offsets}")]
    public static partial void PartitionsRevoked(ILogger logger, string partitions, string offsets);

    [LoggerMessage(4003, LogLevel.Warning, "Partitions lost (group membership expired): {Partitions}; their unacknowledged messages will be redelivered")]
    public static partial void PartitionsLost(ILogger logger, string partitions);

    [LoggerMessage(4004, LogLevel.Warning, "Revoked partitions {Partitions} were not fully acknowledged within {Timeout}; committing what was acknowledged, the rest is redelivered to the new owner")]
    public static partial void RevocationFlushTimedOut(ILogger logger, string partitions, TimeSpan timeout);

    [LoggerMessage(4005, LogLevel.Warning, "Committing offsets {Offsets} failed; they are redelivered (duplicates are harmless)")]
    public static partial void CommitFailed(ILogger logger, string offsets, Exception exception);

    [LoggerMessage(4006, LogLevel.Warning, "Message {Topic}/{Partition}@{Offset} dead-lettered ({ErrorType}): {Reason}")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string errorType, string reason);

    [LoggerMessage(4007, LogLevel.Debug, "Message {Topic}/{Partition}@{Offset} skipped: {Reason}")]
    public static partial void Skipped(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(4008, LogLevel.Debug, "Storing offset for {Checkpoint} failed ({Reason}); the partition was revoked meanwhile")]
    public static partial void StoreOffsetFailed(ILogger logger, string checkpoint, string reason);

    [LoggerMessage(4009, LogLevel.Warning, "Kafka client error {Code}: {Reason}")]
    public static partial void KafkaError(ILogger logger, string code, string reason);

    [LoggerMessage(4010, LogLevel.Debug, "librdkafka {Facility}: {Message}")]
    public static partial void KafkaLog(ILogger logger, string facility, string message);

    [LoggerMessage(4011, LogLevel.Warning, "Consuming failed: {Reason}; retrying")]
    public static partial void ConsumeFailed(ILogger logger, string reason);

    [LoggerMessage(4016, LogLevel.Error, "librdkafka {Facility}: {Message}")]
    public static partial void KafkaLogError(ILogger logger, string facility, string message);

    [LoggerMessage(4017, LogLevel.Warning, "librdkafka {Facility}: {Message}")]
    public static partial void KafkaLogWarning(ILogger logger, string facility, string message);

    [LoggerMessage(4018, LogLevel.Warning, "A snapshot read without a previous commit (version major 0) arrived on {Topic}/{Partition} after committed changes: the connector re-snapshotted (snapshot.mode=always/when_needed or lost offsets). Its versions are below the indexed ones, so Elasticsearch keeps the newer documents and rows deleted since are not removed; load a re-snapshot into a new index")]
    public static partial void ResnapshotWithoutCommit(ILogger logger, string topic, int partition);
}
