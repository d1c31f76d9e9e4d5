using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Diagnostics;

/// <summary>Source-generated log messages of the pipeline (EventIds 1000-1999). Never pass secrets.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Pipeline starting: source {Source}, {TableCount} tables, Elasticsearch {Endpoint}")]
    public static partial void PipelineStarting(ILogger logger, string source, int tableCount, string endpoint);

    [LoggerMessage(1001, LogLevel.Information, "Applied index template {Template}")]
    public static partial void TemplateApplied(ILogger logger, string template);

    [LoggerMessage(1015, LogLevel.Debug, "Index template {Template} is already at version {Version}")]
    public static partial void TemplateUpToDate(ILogger logger, string template, long version);

    [LoggerMessage(1002, LogLevel.Debug, "Elasticsearch request failed, retry {Attempt} in {Delay}: {Reason}")]
    public static partial void BulkRetry(ILogger logger, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(1003, LogLevel.Warning, "{Count} items answered 429/5xx; retry {Attempt} in {Delay}")]
    public static partial void ItemsRetry(ILogger logger, int count, int attempt, TimeSpan delay);

    [LoggerMessage(1004, LogLevel.Warning, "Dead letter: {Table} {Operation} id {Id} at {Position}: {ErrorType}: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string? table, string operation, string? id, string position, string errorType, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "Writing dead letters failed, retry {Attempt} in {Delay}: {Reason}")]
    public static partial void DeadLetterRetry(ILogger logger, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(1006, LogLevel.Information, "Truncate of {Index}: {Deleted} documents deleted")]
    public static partial void Truncated(ILogger logger, string index, long deleted);

    [LoggerMessage(1007, LogLevel.Error, "Pipeline failed: {Reason}")]
    public static partial void PipelineFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(1008, LogLevel.Information, "Pipeline stopped; last acknowledged position {Position}")]
    public static partial void PipelineStopped(ILogger logger, string? position);

    [LoggerMessage(1009, LogLevel.Error, "Elasticsearch refused a whole request ({Status}); retry {Attempt} in {Delay}: {Reason}")]
    public static partial void BulkRefused(ILogger logger, int? status, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(1010, LogLevel.Information, "Pipeline paused")]
    public static partial void Paused(ILogger logger);

    [LoggerMessage(1011, LogLevel.Information, "Pipeline resumed")]
    public static partial void Resumed(ILogger logger);

    [LoggerMessage(1012, LogLevel.Warning, "Final acknowledgement failed (redone on restart): {Reason}")]
    public static partial void FinalAcknowledgementFailed(ILogger logger, string reason);

    [LoggerMessage(1013, LogLevel.Warning, "Acknowledgement of {Lsn} deferred: replication has ended; the slot is advanced on close")]
    public static partial void AcknowledgementDeferred(ILogger logger, string lsn);

    [LoggerMessage(1014, LogLevel.Warning, "Could not advance slot {Slot} to {Lsn} on close (redone on restart): {Reason}")]
    public static partial void SlotAdvanceFailed(ILogger logger, string slot, string lsn, string reason);

    [LoggerMessage(1020, LogLevel.Information, "Created publication {Publication} for {Tables}")]
    public static partial void PublicationCreated(ILogger logger, string publication, string tables);

    [LoggerMessage(1021, LogLevel.Information, "Publication {Publication} now covers {Tables}")]
    public static partial void PublicationUpdated(ILogger logger, string publication, string tables);

    [LoggerMessage(1022, LogLevel.Information, "Created replication slot {Slot} at {Lsn} with exported snapshot")]
    public static partial void SlotCreated(ILogger logger, string slot, string lsn);

    [LoggerMessage(1023, LogLevel.Information, "Reusing replication slot {Slot}, confirmed up to {Lsn}")]
    public static partial void SlotReused(ILogger logger, string slot, string lsn);

    [LoggerMessage(1024, LogLevel.Information, "Snapshot of {Table} starting after key {AfterKey} (consistent with {Lsn}, exported snapshot: {Exported})")]
    public static partial void SnapshotStarting(ILogger logger, string table, string afterKey, string lsn, bool exported);

    [LoggerMessage(1025, LogLevel.Information, "Snapshot of {Table} read: {Rows} rows")]
    public static partial void SnapshotRead(ILogger logger, string table, long rows);

    [LoggerMessage(1026, LogLevel.Information, "Streaming from {Lsn}")]
    public static partial void StreamingFrom(ILogger logger, string lsn);

    [LoggerMessage(1027, LogLevel.Information, "Relation {Table} has columns {Columns}")]
    public static partial void RelationSeen(ILogger logger, string table, string columns);

    [LoggerMessage(1028, LogLevel.Debug, "Unchanged TOAST column(s) of {Table} resolved from {Where}")]
    public static partial void ToastResolved(ILogger logger, string table, string where);

    [LoggerMessage(1029, LogLevel.Warning, "Heartbeat failed: {Reason}")]
    public static partial void HeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(1030, LogLevel.Warning, "Elasticsearch at {Endpoint} is unavailable: {Reason}. Writes are retried until it answers; nothing is acknowledged meanwhile")]
    public static partial void ElasticsearchUnavailable(ILogger logger, string endpoint, string reason);

    [LoggerMessage(1031, LogLevel.Information, "Elasticsearch at {Endpoint} answers again after {Duration}")]
    public static partial void ElasticsearchAvailable(ILogger logger, string endpoint, TimeSpan duration);

    [LoggerMessage(1032, LogLevel.Warning, "Index template {Template} was missing or outdated and has been applied again (Elasticsearch replaced or templates deleted?)")]
    public static partial void TemplateReapplied(ILogger logger, string template);

    [LoggerMessage(1033, LogLevel.Debug, "Index template check failed (retried before the next request): {Reason}")]
    public static partial void TemplateCheckFailed(ILogger logger, string reason);

    [LoggerMessage(1034, LogLevel.Warning, "Table {Table} is not followed; the other tables go on. {Reason}")]
    public static partial void TableRefused(ILogger logger, string table, string reason);
}
