namespace CdcAspire.Dlq.Store;

/// <summary>Counts by state, and the pending letters grouped by table and error type (the "what broke" view).</summary>
public sealed record DeadLetterStats(
    IReadOnlyDictionary<string, long> ByState,
    IReadOnlyList<DeadLetterGroup> Groups,
    DateTimeOffset? OldestPending,
    DateTimeOffset ObservedAt)
{
    public static DeadLetterStats Empty { get; } = new(new Dictionary<string, long>(), [], null, DateTimeOffset.UnixEpoch);
}

/// <summary>Pending letters of one table and error type.</summary>
public sealed record DeadLetterGroup(string Table, string ErrorType, long Count, DateTimeOffset Oldest, string SampleReason);
