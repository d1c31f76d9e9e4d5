namespace CdcAspire.Pipeline.Kafka;

/// <summary>
/// How the connector writes change events (<c>Cdc:Kafka:Form</c>). It decides what a tombstone (null value) means:
/// with the envelope it only follows a <c>d</c> event, for log compaction; <c>ExtractNewRecordState</c>'s default
/// <c>delete.tombstone.handling.mode=tombstone</c> sends a delete <em>only</em> as a tombstone
/// (https://debezium.io/documentation/reference/stable/transformations/event-flattening.html#extract-new-record-state-delete-tombstone-handling-mode).
/// </summary>
public enum EventForm
{
    /// <summary>Debezium's envelope (<c>before/after/source/op</c>); tombstones are skipped.</summary>
    Envelope,

    /// <summary>
    /// Flattened rows: every value is decoded as a flattened row, and a keyed tombstone is a delete. A tombstone
    /// carries no <c>source.sequence</c>, so it is dead-lettered (<c>unordered_event</c>) unless
    /// <see cref="FlattenedOrdering.CommitTime"/> versions it by the record timestamp; for ordered deletes use
    /// <c>delete.tombstone.handling.mode=rewrite</c> with <c>source.sequence</c> in <c>add.fields</c>.
    /// </summary>
    Flattened,
}
