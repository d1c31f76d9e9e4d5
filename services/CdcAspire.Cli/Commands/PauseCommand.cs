using System.CommandLine;
using CdcAspire.Cli.Rendering;
using Spectre.Console;

namespace CdcAspire.Cli.Commands;

/// <summary><c>cdc pause [--reason text]</c>: stop indexing and acknowledging (needs the token).</summary>
public static class PauseCommand
{
    public static Command Create(GlobalOptions global)
    {
        var reason = new Option<string?>("--reason") { Description = "Why, shown by 'cdc status'." };
        var command = new Command("pause", "Pause the pipeline: nothing is indexed or acknowledged until 'cdc resume'. Needs the API token.");
        command.Options.Add(reason);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, global, async (sink, ct) =>
        {
            var response = await sink.PauseAsync(parse.GetValue(reason), ct);
            Terminal.Console.WriteLine(response.Changed ? "Paused." : "Already paused; nothing changed.");
            if (response.Status is not null)
            {
                Terminal.Console.Write(StatusView.Render(response.Status));
            }
        }, cancellationToken));
        return command;
    }
}
