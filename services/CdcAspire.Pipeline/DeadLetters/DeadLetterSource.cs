namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>The topology a dead letter came from; stored as <c>pgoutput</c> or <c>kafka</c> (dlq.proto's <c>source</c>).</summary>
public enum DeadLetterSource
{
    /// <summary>The direct topology: the sink reads PostgreSQL's logical replication (pgoutput).</summary>
    Pgoutput,

    /// <summary>The Kafka topology: the sink consumes Debezium's topics.</summary>
    Kafka,
}
