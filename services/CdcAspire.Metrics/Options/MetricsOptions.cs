namespace CdcAspire.Metrics.Options;

/// <summary>
/// What the metrics service watches and how often, bound from <c>Metrics</c>. Every address is optional: a service
/// without one is reported as not configured, never as down.
/// </summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>How often the whole chain is read (<c>Metrics:Interval</c>, default 10 s). Prometheus scrapes the last reading.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline of each probe call (<c>Metrics:ProbeTimeout</c>, default 5 s); a slower component counts as down.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Replication slots to watch (<c>Metrics:Slots:0</c>, ...). Default: <c>Cdc:SlotName</c> (the sink's, default
    /// <c>cdcaspire</c>) plus every other logical slot of the database.
    /// </summary>
    public List<string> Slots { get; set; } = [];

    /// <summary>The publication (<c>Metrics:Publication</c>); default <c>Cdc:PublicationName</c>, else <c>cdcaspire</c>.</summary>
    public string? Publication { get; set; }

    /// <summary>
    /// Sink gRPC addresses (<c>Metrics:Sinks:0</c>, ...). Default: <c>services:sink:grpc:0</c> (what Aspire injects
    /// as <c>services__sink__grpc__0</c>).
    /// </summary>
    public List<string> Sinks { get; set; } = [];

    /// <summary>The DLQ service's gRPC address (<c>Metrics:Dlq</c>); default <c>services:dlq:grpc:0</c>.</summary>
    public string? Dlq { get; set; }

    /// <summary>The consistency service's gRPC address (<c>Metrics:Consistency</c>); default <c>services:consistency:grpc:0</c>.</summary>
    public string? Consistency { get; set; }

    /// <summary>Indices (or aliases) whose document counts and indexing rate are read (<c>Metrics:Indices:0</c>, ...); default all.</summary>
    public List<string> Indices { get; set; } = [];

    /// <summary>Kafka Connect connectors to watch (<c>Metrics:Connectors:0</c>, ...); default every connector the worker lists.</summary>
    public List<string> Connectors { get; set; } = [];

    /// <summary>Consumer groups whose lag is read (<c>Metrics:ConsumerGroups:0</c>, ...); default <c>Cdc:Kafka:GroupId</c>, else cdc-aspire-sink.</summary>
    public List<string> ConsumerGroups { get; set; } = [];

    /// <summary>Seconds of lag above which a slot is degraded in GetHealth (<c>Metrics:LagDegradedSeconds</c>, default 300, the alert's threshold).</summary>
    public double LagDegradedSeconds { get; set; } = 300;

    /// <summary>Pending dead letters above which the DLQ is degraded (<c>Metrics:DlqDegradedPending</c>, default 0: any pending).</summary>
    public long DlqDegradedPending { get; set; }
}
