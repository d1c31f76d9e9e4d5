using Microsoft.Extensions.Logging;

namespace CdcAspire.AppHost.Diagnostics;

/// <summary>The AppHost's log messages, written to the resource's log in the dashboard. EventIds 9000-9099.</summary>
internal static partial class Log
{
    [LoggerMessage(9000, LogLevel.Information, "Password of {User} set; Kibana can start.")]
    public static partial void KibanaSystemPasswordSet(ILogger logger, string user);

    [LoggerMessage(9001, LogLevel.Information, "Kibana data view for {Index} is in place.")]
    public static partial void DataViewCreated(ILogger logger, string index);

    [LoggerMessage(9002, LogLevel.Warning, "Kibana data view for {Index} not created: HTTP {Status}. Kibana works without it; create it under Stack Management > Data views.")]
    public static partial void DataViewFailed(ILogger logger, string index, int status);

    [LoggerMessage(9010, LogLevel.Information, "Connector {Connector} {Outcome} from {File} (database {Host}:{Port}/{Database}).")]
    public static partial void ConnectorApplied(ILogger logger, string connector, string outcome, string file, string host, string port, string database);

    [LoggerMessage(9011, LogLevel.Error, "Connector {Connector} could not be applied: {Reason}")]
    public static partial void ConnectorFailed(ILogger logger, string connector, string reason);

    [LoggerMessage(9012, LogLevel.Information, "Connector {Connector} is {State} ({Tasks} tasks).")]
    public static partial void ConnectorState(ILogger logger, string connector, string state, int tasks);

    [LoggerMessage(9020, LogLevel.Information, "Command {Command} on {Resource}: {Result}")]
    public static partial void CommandDone(ILogger logger, string command, string resource, string result);

    [LoggerMessage(9021, LogLevel.Warning, "Command {Command} on {Resource} failed: {Reason}")]
    public static partial void CommandFailed(ILogger logger, string command, string resource, string reason);
}
