using System.CommandLine;
using CdcAspire.Cli.Rendering;
using CdcAspire.Sink.V1;
using Spectre.Console;

namespace CdcAspire.Cli.Commands;

/// <summary><c>cdc resume</c>: continue from the last acknowledged position (needs the token).</summary>
public static class ResumeCommand
{
    public static Command Create()
    {
        var command = new Command("resume", "Resume the pipeline from the last acknowledged position. Needs the API token.");
        command.Options.Add(SinkOptions.Address());
        command.Options.Add(CliOptions.Token());
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, SinkOptions.Service, async (connection, ct) =>
        {
            var sink = new SinkService.SinkServiceClient(connection.Channel);
            var response = await sink.ResumeAsync(new ResumeRequest(), connection.Call(ct));
            Terminal.Console.WriteLine(response.Changed ? "Resumed." : "Not paused; nothing changed.");
            if (response.Status is not null)
            {
                Terminal.Console.Write(StatusView.Render(response.Status));
            }
        }, cancellationToken));
        return command;
    }
}
