namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>Why a well-formed message carries no change for the index (it is still checkpointed).</summary>
public enum SkipReason
{
    /// <summary>Not skipped.</summary>
    None,

    /// <summary>A delete's tombstone (null value) in envelope form: the preceding <c>d</c> event already deleted the document.</summary>
    Tombstone,

    /// <summary>A heartbeat (<c>__debezium-heartbeat.*</c> topic, schema <c>io.debezium.connector.common.Heartbeat</c>) or an ignored table's change.</summary>
    Heartbeat,

    /// <summary>A schema-change event (the topic named by the prefix, or a <c>*.SchemaChangeValue</c> schema).</summary>
    SchemaChange,

    /// <summary>A transaction BEGIN/END record (<c>&lt;prefix&gt;.transaction</c> topic or <c>TransactionMetadataValue</c> schema).</summary>
    TransactionMetadata,

    /// <summary>A logical decoding message (<c>op=m</c>, <c>pg_logical_emit_message</c>).</summary>
    LogicalMessage,
}
