namespace CdcAspire.Metrics.Diagnostics;

/// <summary>The metrics service's log messages (EventIds 5100-5199). Nothing per collection at Information.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Watching the chain every {Interval}: {Targets}")]
    public static partial void Watching(ILogger logger, TimeSpan interval, string targets);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Probe {Component} failed: {Reason}")]
    public static partial void ProbeFailed(ILogger logger, string component, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Probe {Component} did not finish: {Reason}")]
    public static partial void ProbeFaulted(ILogger logger, string component, string reason, Exception exception);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Chain health changed from {Before} to {After}")]
    public static partial void HealthChanged(ILogger logger, V1.Status before, V1.Status after);
}
