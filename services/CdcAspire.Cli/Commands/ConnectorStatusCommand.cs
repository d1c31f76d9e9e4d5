using System.CommandLine;
using CdcAspire.Cli.Connect;
using CdcAspire.Cli.Rendering;
using Spectre.Console;

namespace CdcAspire.Cli.Commands;

/// <summary><c>cdc connector status &lt;name&gt;</c>: the connector's state and worker, and a row per task.</summary>
public static class ConnectorStatusCommand
{
    public static Command Create(Option<string?> connect)
    {
        var name = new Argument<string>("name") { Description = "Connector name, e.g. postgres-source." };
        var command = new Command("status", "Show a connector's state and worker, and each task's state with a one-line trace summary when it failed.");
        command.Arguments.Add(name);
        command.SetAction((parse, cancellationToken) => ConnectCommandRunner.RunAsync(parse, connect, async (worker, ct) =>
        {
            var connector = parse.GetRequiredValue(name);
            var status = await worker.Client.GetStatusAsync(connector, ct);

            // Only to know which values to mask should a trace quote one.
            await worker.TryGetConfigAsync(connector, ct);
            Terminal.Console.Write(ConnectorStatusView.Render(status, worker.Secrets));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
