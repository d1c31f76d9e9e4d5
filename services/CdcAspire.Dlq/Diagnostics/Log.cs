namespace CdcAspire.Dlq.Diagnostics;

/// <summary>The DLQ service's log messages (EventIds 5000-5099). Nothing per request at Information.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Debug, "Dead letter {Id} {Action}: {Outcome}")]
    public static partial void Replayed(ILogger logger, long id, string action, string outcome);

    [LoggerMessage(5001, LogLevel.Debug, "Dead letter {Id} {Action} failed ({ErrorType}), attempt {Attempts}, archived: {Archived}")]
    public static partial void ReplayFailed(ILogger logger, long id, string action, string errorType, int attempts, bool archived);

    [LoggerMessage(5002, LogLevel.Warning, "Replay breaker opened after {Failures} Elasticsearch failures; probing again at {RetryAt:O}. Last error: {Reason}")]
    public static partial void BreakerOpened(ILogger logger, int failures, DateTimeOffset retryAt, string reason);

    [LoggerMessage(5003, LogLevel.Information, "Replay breaker probing Elasticsearch")]
    public static partial void BreakerProbing(ILogger logger);

    [LoggerMessage(5004, LogLevel.Information, "Replay breaker closed: Elasticsearch answers again")]
    public static partial void BreakerClosed(ILogger logger);

    [LoggerMessage(5005, LogLevel.Information, "Automatic retry: {Count} dead letters replayed ({Resolved} resolved)")]
    public static partial void Retried(ILogger logger, int count, int resolved);

    [LoggerMessage(5006, LogLevel.Warning, "Automatic retry failed; trying again in {Delay}: {Reason}")]
    public static partial void RetryLoopFailed(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(5007, LogLevel.Warning, "Listening for new dead letters failed; reconnecting in {Delay}: {Reason}")]
    public static partial void ListenFailed(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(5008, LogLevel.Warning, "Refreshing the dead-letter metrics failed: {Reason}")]
    public static partial void MetricsFailed(ILogger logger, string reason);
}
