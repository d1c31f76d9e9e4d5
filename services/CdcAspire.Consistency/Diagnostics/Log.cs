using Microsoft.Extensions.Logging;

namespace CdcAspire.Consistency.Diagnostics;

/// <summary>The consistency service's log messages (EventIds 5100-5199).</summary>
internal static partial class Log
{
    [LoggerMessage(5100, LogLevel.Information, "Check of {Table} ({Mode}) found {Missing} missing, {Extra} extra, {Mismatched} mismatched in {Seconds:0.0} s ({Rows} rows)")]
    public static partial void Checked(ILogger logger, string table, string mode, long missing, long extra, long mismatched, double seconds, long rows);

    [LoggerMessage(5101, LogLevel.Warning, "Check of {Table} failed: {Reason}")]
    public static partial void CheckFailed(ILogger logger, string table, string reason, Exception exception);

    [LoggerMessage(5102, LogLevel.Information, "Repair of {Table}: {Indexed} indexed, {Deleted} deleted, {Superseded} superseded, {Failed} failed")]
    public static partial void Repaired(ILogger logger, string table, long indexed, long deleted, long superseded, long failed);

    [LoggerMessage(5103, LogLevel.Warning, "Check of {Table}: {Count} candidate differences kept changing through every re-check and are not reported")]
    public static partial void Inconclusive(ILogger logger, string table, long count);

    [LoggerMessage(5104, LogLevel.Warning, "Check of {Table}: the sink's slot did not acknowledge the check's position within {Seconds} s; differences were compared as they stood")]
    public static partial void SinkBehind(ILogger logger, string table, double seconds);

    [LoggerMessage(5105, LogLevel.Information, "Scheduled check of {Table} every {Interval}")]
    public static partial void Scheduled(ILogger logger, string table, TimeSpan interval);

    [LoggerMessage(5106, LogLevel.Warning, "Could not keep the result of {Table}'s check: {Reason}")]
    public static partial void ResultNotKept(ILogger logger, string table, string reason, Exception exception);

    [LoggerMessage(5110, LogLevel.Information, "Resync of {Table} started: building {NewIndex} beside {OldIndex} behind the alias {Alias}")]
    public static partial void ResyncStarted(ILogger logger, string table, string alias, string oldIndex, string newIndex);

    [LoggerMessage(5111, LogLevel.Information, "Resync of {Table} done: alias {Alias} now points at {NewIndex} ({Rows} rows snapshotted); {OldIndex} {Kept}")]
    public static partial void ResyncDone(ILogger logger, string table, string alias, string newIndex, long rows, string oldIndex, string kept);

    [LoggerMessage(5112, LogLevel.Warning, "Resync of {Table} abandoned; alias {Alias} unchanged, {NewIndex} dropped: {Reason}")]
    public static partial void ResyncAbandoned(ILogger logger, string table, string alias, string newIndex, string reason);

    [LoggerMessage(5113, LogLevel.Warning, "Resync of {Table} failed: {Reason}")]
    public static partial void ResyncFailed(ILogger logger, string table, string reason, Exception exception);

    [LoggerMessage(5114, LogLevel.Warning, "Resync {Id} of {Alias} was interrupted (the service stopped); {Outcome}")]
    public static partial void ResyncRecovered(ILogger logger, long id, string alias, string outcome);
}
