namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>
/// The topology a dead letter came from. Stored (and sent in dlq.proto's <c>source</c>) as <c>pgoutput</c> or
/// <c>kafka</c>: that spelling is a contract with the rows already stored and the DLQ API, so
/// <see cref="DeadLetterNames"/> keeps it, while the code calls the direct source by its one name, Postgres.
/// </summary>
public enum DeadLetterSource
{
    /// <summary>The direct topology (<c>Cdc:Source=postgres</c>): the sink reads PostgreSQL's logical replication; stored as <c>pgoutput</c>.</summary>
    Postgres,

    /// <summary>The Kafka topology (<c>Cdc:Source=kafka</c>): the sink consumes Debezium's topics; stored as <c>kafka</c>.</summary>
    Kafka,
}
