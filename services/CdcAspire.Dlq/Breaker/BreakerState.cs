namespace CdcAspire.Dlq.Breaker;

/// <summary>The breaker's state; the numeric value is what the <c>cdc.dlq.breaker.state</c> gauge reports.</summary>
public enum BreakerState
{
    /// <summary>Replays go to Elasticsearch.</summary>
    Closed = 0,

    /// <summary>One probe replay is allowed through; its result closes or re-opens the breaker.</summary>
    HalfOpen = 1,

    /// <summary>Elasticsearch keeps failing: replays wait until the retry time.</summary>
    Open = 2,
}

/// <summary>What the breaker says right now.</summary>
/// <param name="State">Closed, half-open or open.</param>
/// <param name="Reason">The last error that opened it; empty when closed.</param>
/// <param name="RetryAt">When it lets a probe through (open only).</param>
public sealed record BreakerSnapshot(BreakerState State, string Reason, DateTimeOffset? RetryAt)
{
    public string StateName => State switch
    {
        BreakerState.Open => "open",
        BreakerState.HalfOpen => "half-open",
        _ => "closed",
    };
}
