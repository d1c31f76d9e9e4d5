using System.CommandLine;
using CdcAspire.Cli.Connect;

namespace CdcAspire.Cli.Commands;

/// <summary><c>cdc connector apply|status|restart</c>: manage Kafka Connect connectors through the worker's REST API.</summary>
public static class ConnectorCommand
{
    public static Command Create()
    {
        var connect = new Option<string?>("--connect")
        {
            Description = $"Kafka Connect REST address, e.g. http://localhost:8083. Default: ${ConnectAddress.AspireVariable} (set by Aspire), then ${ConnectAddress.Variable}.",
            Recursive = true,
        };
        var command = new Command("connector", "Apply, inspect and restart Kafka Connect connectors (--timeout bounds each command, retries included).");
        command.Options.Add(connect);
        command.Subcommands.Add(ConnectorApplyCommand.Create(connect));
        command.Subcommands.Add(ConnectorStatusCommand.Create(connect));
        command.Subcommands.Add(ConnectorRestartCommand.Create(connect));
        return command;
    }
}
