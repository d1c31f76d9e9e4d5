namespace CdcAspire.Pipeline.Changes;

/// <summary>
/// The two sources, by the one name each goes by: the value of <c>Cdc:Source</c>, the key of its keyed
/// <see cref="IChangeSource"/> registration, its <see cref="IChangeSource.Name"/> in status and logs, and the prefix of
/// its type (<c>PostgresChangeSource</c>, <c>KafkaChangeSource</c>). The direct source is "postgres"; pgoutput is only
/// the protocol it speaks, and the spelling dlq.proto fixes for a dead letter's stored <c>source</c>
/// (see <see cref="DeadLetters.DeadLetterNames"/>), which is the one place that older word remains.
/// </summary>
public static class SourceNames
{
    /// <summary>The direct topology: PostgreSQL logical replication (pgoutput) read with Npgsql. The default.</summary>
    public const string Postgres = "postgres";

    /// <summary>The Kafka topology: Debezium's change events consumed from Kafka.</summary>
    public const string Kafka = "kafka";
}
