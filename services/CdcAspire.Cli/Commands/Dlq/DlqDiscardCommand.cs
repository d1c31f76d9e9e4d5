using System.CommandLine;
using System.Text.Json.Nodes;
using CdcAspire.Cli.Rendering;
using CdcAspire.Dlq.V1;
using Spectre.Console;

namespace CdcAspire.Cli.Commands.Dlq;

/// <summary><c>cdc dlq discard (ID... | --table T | --reason R | --all) --note TEXT [--json]</c>.</summary>
public static class DlqDiscardCommand
{
    public static Command Create()
    {
        var selection = new DlqSelection();
        var note = new Option<string>("--note") { Description = "Why they are discarded; kept in each dead letter's history.", Required = true };
        var json = CliOptions.Json();
        var command = new Command("discard", "Mark dead letters discarded (they stay listable, with the note in their history). Needs the API token.");
        selection.AddTo(command, ids: true);
        command.Options.Add(note);
        command.Options.Add(CliOptions.Token());
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, DlqCommand.Service, async (connection, ct) =>
        {
            var text = parse.GetValue(note);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new UsageException("--note must say why the dead letters are discarded.");
            }

            var response = await new DlqService.DlqServiceClient(connection.Channel).DiscardAsync(
                new DiscardRequest { Filter = selection.Read(parse, required: true), Reason = text }, connection.Call(ct));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new JsonObject { ["discarded"] = response.Discarded });
            }
            else
            {
                Terminal.Console.WriteLine($"Discarded {response.Discarded}.");
            }
        }, cancellationToken));
        return command;
    }
}
