using System.CommandLine;

namespace CdcAspire.Cli.Commands.Dlq;

/// <summary><c>cdc dlq list|stats|show|replay|discard</c>: the dead-letter service (<c>cdcaspire.dlq.v1</c>).</summary>
public static class DlqCommand
{
    public const string Service = "dlq";

    public static Command Create()
    {
        var command = new Command("dlq", "Inspect, replay and discard dead letters (changes Elasticsearch or a decoder rejected).");
        command.Options.Add(CliOptions.Address(Service, "http://localhost:5091", recursive: true));
        command.Subcommands.Add(DlqListCommand.Create());
        command.Subcommands.Add(DlqStatsCommand.Create());
        command.Subcommands.Add(DlqShowCommand.Create());
        command.Subcommands.Add(DlqReplayCommand.Create());
        command.Subcommands.Add(DlqDiscardCommand.Create());
        return command;
    }
}
