namespace CdcAspire.KafkaConnect;

/// <summary>Retry behaviour of <see cref="KafkaConnectClient"/> for transient failures.</summary>
public sealed class KafkaConnectClientOptions
{
    public const string SectionName = "Cdc:KafkaConnect";

    /// <summary>The worker's REST endpoint, e.g. <c>http://localhost:8083</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>Attempts per call, the first included. Default 8.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the first retry; doubles each time up to <see cref="MaxDelay"/>. Default 500 ms.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between attempts. Default 10 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
