using Microsoft.Extensions.Logging;

namespace CdcAspire.KafkaConnect.Diagnostics;

/// <summary>
/// All log messages of CdcAspire.KafkaConnect. EventIds 4012-4015 are kept from when this client lived in
/// CdcAspire.Pipeline.Kafka (4000-4999), so dashboards and alerts that match on them keep working.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(4012, LogLevel.Warning, "Kafka Connect {Method} {Path} failed transiently ({Status}), attempt {Attempt}; retrying in {Delay}")]
    public static partial void ConnectRetry(ILogger logger, string method, string path, string status, int attempt, TimeSpan delay);

    [LoggerMessage(4013, LogLevel.Information, "Connector {Name} {Outcome}")]
    public static partial void ConnectorApplied(ILogger logger, string name, string outcome);

    [LoggerMessage(4014, LogLevel.Warning, "Connector config for {Class} has {ErrorCount} validation errors: {Errors}")]
    public static partial void ConnectorInvalid(ILogger logger, string @class, int errorCount, string errors);

    [LoggerMessage(4015, LogLevel.Information, "Restart of connector {Name} requested ({Scope})")]
    public static partial void ConnectorRestart(ILogger logger, string name, string scope);
}
