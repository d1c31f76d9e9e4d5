using System.CommandLine;
using CdcAspire.Cli.Rendering;
using CdcAspire.Cli.Services;
using CdcAspire.Sink.V1;
using Grpc.Core;
using Spectre.Console;

namespace CdcAspire.Cli.Commands;

/// <summary><c>cdc status [--watch]</c>: the pipeline and every table; with --watch, a live view until Ctrl+C.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep showing the status as it changes (Ctrl+C to stop)." };
        var command = new Command("status", "Show the pipeline's phase, position and lag, and each table's phase, progress and counts.");
        command.Options.Add(SinkOptions.Address());
        command.Options.Add(watch);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, SinkOptions.Service, async (connection, ct) =>
        {
            var sink = new SinkService.SinkServiceClient(connection.Channel);
            if (!parse.GetValue(watch))
            {
                Terminal.Console.Write(StatusView.Render(await sink.GetStatusAsync(new GetStatusRequest(), connection.Call(ct))));
                return;
            }

            using var call = sink.Watch(new WatchRequest(), ServiceConnection.Stream(ct));
            if (Terminal.IsInteractive)
            {
                await WatchLiveAsync(call.ResponseStream, ct);
            }
            else
            {
                // Redirected output: one full snapshot per change, separated by a blank line.
                await foreach (var status in call.ResponseStream.ReadAllAsync(ct))
                {
                    Terminal.Console.Write(StatusView.Render(status));
                    Terminal.Console.WriteLine();
                }
            }
        }, cancellationToken));
        return command;
    }

    private static async Task WatchLiveAsync(IAsyncStreamReader<StatusResponse> stream, CancellationToken cancellationToken)
    {
        var holder = new Table().NoBorder().AddColumn(string.Empty).HideHeaders();
        holder.AddRow(new Markup("[grey]waiting for the sink...[/]"));
        await Terminal.Console.Live(holder).StartAsync(async context =>
        {
            await foreach (var status in stream.ReadAllAsync(cancellationToken))
            {
                holder.Rows.Clear();
                holder.AddRow(StatusView.Render(status));
                context.Refresh();
            }
        });
    }
}
