using System.CommandLine;
using CdcAspire.Cli.Rendering;
using Spectre.Console;

namespace CdcAspire.Cli.Commands;

/// <summary><c>cdc status [--watch]</c>: the pipeline and every table; with --watch, a live view until Ctrl+C.</summary>
public static class StatusCommand
{
    public static Command Create(GlobalOptions global)
    {
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep showing the status as it changes (Ctrl+C to stop)." };
        var command = new Command("status", "Show the pipeline's phase, position and lag, and each table's phase, progress and counts.");
        command.Options.Add(watch);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, global, async (sink, ct) =>
        {
            if (!parse.GetValue(watch))
            {
                Terminal.Console.Write(StatusView.Render(await sink.GetStatusAsync(ct)));
                return;
            }

            if (Terminal.IsInteractive)
            {
                await WatchLiveAsync(sink, ct);
            }
            else
            {
                // Redirected output: one full snapshot per change, separated by a blank line.
                await foreach (var status in sink.WatchAsync(ct))
                {
                    Terminal.Console.Write(StatusView.Render(status));
                    Terminal.Console.WriteLine();
                }
            }
        }, cancellationToken));
        return command;
    }

    private static async Task WatchLiveAsync(Sink.SinkClient sink, CancellationToken cancellationToken)
    {
        var holder = new Table().NoBorder().AddColumn(string.Empty).HideHeaders();
        holder.AddRow(new Markup("[grey]waiting for the sink...[/]"));
        await Terminal.Console.Live(holder).StartAsync(async context =>
        {
            await foreach (var status in sink.WatchAsync(cancellationToken))
            {
                holder.Rows.Clear();
                holder.AddRow(StatusView.Render(status));
                context.Refresh();
            }
        });
    }
}
