namespace CdcAspire.Pipeline.Kafka;

/// <summary>What to do with flattened (<c>ExtractNewRecordState</c>) events that carry no <c>source.sequence</c>.</summary>
public enum FlattenedOrdering
{
    /// <summary>Dead-letter them: without a commit position a redelivered old event could overwrite a newer one.</summary>
    Reject,

    /// <summary>
    /// Version them by <c>__source_ts_ms</c> (commit time in ms). Weaker: commits within one millisecond, or whose
    /// timestamps are out of WAL order, may apply in the wrong order. Do not mix with sequence-ordered events in one index.
    /// </summary>
    CommitTime,
}
