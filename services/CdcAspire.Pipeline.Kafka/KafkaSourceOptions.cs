namespace CdcAspire.Pipeline.Kafka;

/// <summary>
/// Settings of the Kafka (Debezium) change source, bound from <see cref="SectionName"/>. The bootstrap servers come
/// from the connection string <c>kafka</c> (<c>ConnectionStrings:kafka</c>, env <c>ConnectionStrings__kafka</c>), as
/// the AppHost injects it. Exactly one of <see cref="Topics"/>, <see cref="TopicPrefix"/> and
/// <see cref="TopicPattern"/> selects the topics.
/// </summary>
public sealed class KafkaSourceOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Cdc:Kafka";

    /// <summary>The connection string name holding the bootstrap servers (<c>host:port[,host:port]</c>).</summary>
    public const string ConnectionStringName = "kafka";

    /// <summary>Bootstrap servers; set from <c>ConnectionStrings:kafka</c> unless given here.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Explicit topic names, e.g. <c>cdc.public.users</c>.</summary>
    public IList<string> Topics { get; } = [];

    /// <summary>
    /// The connector's <c>topic.prefix</c>: subscribes to every topic <c>&lt;prefix&gt;.*</c> (change topics and the
    /// <c>&lt;prefix&gt;.transaction</c> topic, whose records are skipped).
    /// </summary>
    public string? TopicPrefix { get; set; }

    /// <summary>A librdkafka topic regex, which must start with <c>^</c>.</summary>
    public string? TopicPattern { get; set; }

    /// <summary>Consumer group id. Default <c>cdc-aspire-sink</c>.</summary>
    public string GroupId { get; set; } = "cdc-aspire-sink";

    /// <summary>Tables (<c>schema.table</c>) to accept; events of others become dead letters. Empty (default): all.</summary>
    public IList<string> Tables { get; } = [];

    /// <summary>
    /// Captured tables whose changes are skipped, not indexed: the heartbeat table that
    /// <c>heartbeat.action.query</c> writes (it must be in the filtered publication so idle databases still move
    /// the slot). Default <c>cdc.heartbeat</c>, as in connectors/postgres-source.json.
    /// </summary>
    public IList<string> IgnoredTables { get; } = ["cdc.heartbeat"];

    /// <summary>Debezium's <c>topic.heartbeat.prefix</c>; records on these topics are skipped. Default <c>__debezium-heartbeat</c>.</summary>
    public string HeartbeatTopicPrefix { get; set; } = "__debezium-heartbeat";

    /// <summary>The connector's <c>unavailable.value.placeholder</c>. Default <c>__debezium_unavailable_value</c>.</summary>
    public string UnavailableValuePlaceholder { get; set; } = "__debezium_unavailable_value";

    /// <summary>
    /// The shape of the change topics' values: <see cref="EventForm.Envelope"/> (default; a tombstone only follows a
    /// <c>d</c> event and is skipped) or <see cref="EventForm.Flattened"/> (<c>ExtractNewRecordState</c>, where a keyed
    /// tombstone is the delete itself).
    /// </summary>
    public EventForm Form { get; set; } = EventForm.Envelope;

    /// <summary>Flattened events without <c>__source_sequence</c>. Default <see cref="FlattenedOrdering.Reject"/>.</summary>
    public FlattenedOrdering FlattenedOrdering { get; set; } = FlattenedOrdering.Reject;

    /// <summary>How often stored (acknowledged) offsets are committed (<c>auto.commit.interval.ms</c>). Default 5 s.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a revoked partition waits for the pipeline to acknowledge what was already read from it before its
    /// offsets are committed and it is handed over. What is not acknowledged by then is redelivered to the new
    /// owner (harmless: versions make duplicates no-ops). Keep well below the group's rebalance timeout. Default 10 s.
    /// </summary>
    public TimeSpan RevocationFlushTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one poll blocks before checking for cancellation. Default 250 ms.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Where a partition the group never committed starts: <c>earliest</c> (default, so the snapshot is read) or
    /// <c>latest</c>. A committed offset that retention has deleted is never reset: the run fails, because events
    /// were lost (librdkafka <c>auto.offset.reset=error</c>; see README.md).
    /// </summary>
    public string AutoOffsetReset { get; set; } = "earliest";

    /// <summary>
    /// Further librdkafka consumer properties (e.g. <c>security.protocol</c>, <c>session.timeout.ms</c>). The
    /// offset-handling properties the source relies on cannot be overridden here.
    /// </summary>
    public IDictionary<string, string> Consumer { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
