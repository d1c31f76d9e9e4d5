namespace CdcAspire.Dlq.Options;

/// <summary>The dead-letter service's settings, bound from the <c>Dlq</c> section and validated at start.</summary>
public sealed class DlqOptions
{
    public const string SectionName = "Dlq";

    /// <summary>Failed replays after which a dead letter is archived instead of retried (<c>Dlq:MaxAttempts</c>, default 5).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First delay of the automatic retry of transient errors (<c>Dlq:RetryInitialDelay</c>, default 5 s).</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest delay between automatic retries (<c>Dlq:RetryMaxDelay</c>, default 10 min).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a replay holds a dead letter (<c>Dlq:ClaimTimeout</c>, default 2 min): another replay skips it until
    /// then; when the holder dies, the claim lapses and the letter can be replayed again.
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Dead letters claimed and replayed together (<c>Dlq:BatchSize</c>, default 100).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How often the automatic retry looks for due letters without a notification (<c>Dlq:PollInterval</c>, default
    /// 30 s); new letters wake it at once through LISTEN/NOTIFY.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Turns the automatic retry and healing off (<c>Dlq:AutomaticRetry</c>, default true).</summary>
    public bool AutomaticRetry { get; set; } = true;

    /// <summary>
    /// Error types healed from the source without a person (<c>Dlq:HealErrorTypes</c>): the row's current state is
    /// re-read and written at once. Default: <c>unchanged_toast_unresolved</c>.
    /// </summary>
    public IList<string> HealErrorTypes { get; } = ["unchanged_toast_unresolved"];

    /// <summary>
    /// Error types retried automatically with backoff (<c>Dlq:TransientErrorTypes</c>), besides <c>http_429</c> and
    /// <c>http_5xx</c>. Anything else (mapping, parse) waits for a person.
    /// </summary>
    public IList<string> TransientErrorTypes { get; } =
    [
        "es_rejected_execution_exception", "circuit_breaking_exception", "timeout", "timeout_exception",
        "request_timeout", "process_cluster_event_timeout_exception", "unavailable_shards_exception",
        "no_shard_available_action_exception", "cluster_block_exception",
    ];

    /// <summary>Consecutive Elasticsearch failures that open the breaker (<c>Dlq:Breaker:FailureThreshold</c>, default 3).</summary>
    public BreakerOptions Breaker { get; set; } = new();

    /// <summary>How often the depth metrics are refreshed (<c>Dlq:MetricsInterval</c>, default 10 s).</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The circuit breaker around Elasticsearch for replays (<c>Dlq:Breaker</c>).</summary>
public sealed class BreakerOptions
{
    /// <summary>Consecutive failed requests that open it (<c>Dlq:Breaker:FailureThreshold</c>, default 3).</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How long it stays open before one probe (<c>Dlq:Breaker:OpenDuration</c>, default 30 s).</summary>
    public TimeSpan OpenDuration { get; set; } = TimeSpan.FromSeconds(30);
}
