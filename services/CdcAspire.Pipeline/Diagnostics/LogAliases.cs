using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Diagnostics;

/// <summary>Log messages of alias handling and dual writes during a resync (EventIds 1040-1059).</summary>
internal static partial class Log
{
    [LoggerMessage(1040, LogLevel.Information, "Created index {Index} behind the new alias {Alias}: documents are written through the alias from now on")]
    public static partial void AliasCreated(ILogger logger, string alias, string index);

    [LoggerMessage(1041, LogLevel.Warning, "Migrating the concrete index {Alias} to an alias over {Index} (once): copying its documents with their versions, then replacing it with the alias in one atomic _aliases request")]
    public static partial void AliasMigrating(ILogger logger, string alias, string index);

    [LoggerMessage(1042, LogLevel.Warning, "Migrated the concrete index {Alias} to an alias over {Index}: {Documents} documents copied with their versions in {Seconds:0.0} s")]
    public static partial void AliasMigrated(ILogger logger, string alias, string index, long documents, double seconds);

    [LoggerMessage(1043, LogLevel.Information, "Resync {Id}: writing {Alias} also into {Index} from now on")]
    public static partial void DualWriteStarted(ILogger logger, long id, string alias, string index);

    [LoggerMessage(1044, LogLevel.Information, "Resync {Id}: stopped writing {Alias} into {Index} ({State})")]
    public static partial void DualWriteStopped(ILogger logger, long id, string alias, string index, string state);

    [LoggerMessage(1045, LogLevel.Warning, "Reading the resyncs table failed (retried): {Reason}")]
    public static partial void ResyncPollFailed(ILogger logger, string reason);
}
