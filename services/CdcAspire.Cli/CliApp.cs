using System.CommandLine;
using CdcAspire.Cli.Commands;

namespace CdcAspire.Cli;

/// <summary>Builds the command tree. A new command group adds one line here.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("cdc: status and control of the CdcAspire pipeline and its services.");
        root.Options.Add(CliOptions.Timeout());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(PauseCommand.Create());
        root.Subcommands.Add(ResumeCommand.Create());
        root.Subcommands.Add(ConnectorCommand.Create());
        root.Subcommands.Add(Commands.Dlq.DlqCommand.Create());
        root.Subcommands.Add(Commands.Consistency.CheckCommand.Create());
        root.Subcommands.Add(Commands.Consistency.RepairCommand.Create());
        root.Subcommands.Add(Commands.Consistency.ResyncCommand.Create());
        root.Subcommands.Add(Commands.Health.HealthCommand.Create());
        root.Subcommands.Add(Commands.Health.MetricsCommand.Create());

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync("cdc: " + error.Message);
            }

            await Console.Error.WriteLineAsync("Run 'cdc --help' for usage.");
            return ExitCodes.Usage;
        }

        // Ctrl+C / SIGTERM cancel the action's token (a watch then ends normally).
        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
