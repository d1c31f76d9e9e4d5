using System.CommandLine;
using CdcAspire.Cli.Rendering;
using CdcAspire.Sink.V1;
using Spectre.Console;

namespace CdcAspire.Cli.Commands;

/// <summary><c>cdc pause [--reason text]</c>: stop indexing and acknowledging (needs the token).</summary>
public static class PauseCommand
{
    public static Command Create()
    {
        var reason = new Option<string?>("--reason") { Description = "Why, shown by 'cdc status'." };
        var command = new Command("pause", "Pause the pipeline: nothing is indexed or acknowledged until 'cdc resume'. Needs the API token.");
        command.Options.Add(SinkOptions.Address());
        command.Options.Add(CliOptions.Token());
        command.Options.Add(reason);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, SinkOptions.Service, async (connection, ct) =>
        {
            var sink = new SinkService.SinkServiceClient(connection.Channel);
            var response = await sink.PauseAsync(new PauseRequest { Reason = parse.GetValue(reason) ?? string.Empty }, connection.Call(ct));
            Terminal.Console.WriteLine(response.Changed ? "Paused." : "Already paused; nothing changed.");
            if (response.Status is not null)
            {
                Terminal.Console.Write(StatusView.Render(response.Status));
            }
        }, cancellationToken));
        return command;
    }
}
