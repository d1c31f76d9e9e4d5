using System.CommandLine;
using CdcAspire.Cli.Rendering;
using Spectre.Console;

namespace CdcAspire.Cli.Commands;

/// <summary><c>cdc resume</c>: continue from the last acknowledged position (needs the token).</summary>
public static class ResumeCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("resume", "Resume the pipeline from the last acknowledged position. Needs the API token.");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, global, async (sink, ct) =>
        {
            var response = await sink.ResumeAsync(ct);
            Terminal.Console.WriteLine(response.Changed ? "Resumed." : "Not paused; nothing changed.");
            if (response.Status is not null)
            {
                Terminal.Console.Write(StatusView.Render(response.Status));
            }
        }, cancellationToken));
        return command;
    }
}
