namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>Why a well-formed message carries no change for the index (it is still checkpointed).</summary>
public enum SkipReason
{
    /// <summary>Not skipped.</summary>
    None,

    /// <summary>A delete's tombstone (null value): the preceding <c>d</c> event already deleted the document.</summary>
    Tombstone,

    /// <summary>A heartbeat (<c>__debezium-heartbeat.*</c> topic or a value holding only <c>ts_ms</c>).</summary>
    Heartbeat,

    /// <summary>A schema-change event (<c>ddl</c>/<c>tableChanges</c>).</summary>
    SchemaChange,

    /// <summary>A transaction BEGIN/END record on the <c>&lt;prefix&gt;.transaction</c> topic.</summary>
    TransactionMetadata,

    /// <summary>A logical decoding message (<c>op=m</c>, <c>pg_logical_emit_message</c>).</summary>
    LogicalMessage,
}
