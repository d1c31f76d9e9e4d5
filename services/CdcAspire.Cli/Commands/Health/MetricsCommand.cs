using System.CommandLine;
using CdcAspire.Cli.Rendering;
using CdcAspire.Cli.Services;
using CdcAspire.Metrics.V1;
using Grpc.Core;
using Spectre.Console;

namespace CdcAspire.Cli.Commands.Health;

/// <summary><c>cdc metrics [--watch]</c>: the chain's numbers (slots, sinks, Elasticsearch, DLQ, differences, Kafka).</summary>
public static class MetricsCommand
{
    public static Command Create()
    {
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep showing the numbers at every collection (Ctrl+C to stop)." };
        var command = new Command("metrics", "Show the numbers behind 'cdc health': slot lag, sink rates, index sizes, DLQ depth, differences.");
        command.Options.Add(MetricsOptions.Address());
        command.Options.Add(watch);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, MetricsOptions.Service, async (connection, ct) =>
        {
            var client = new MetricsService.MetricsServiceClient(connection.Channel);
            if (!parse.GetValue(watch))
            {
                Terminal.Console.Write(MetricsView.Render(await client.GetHealthAsync(new GetHealthRequest(), connection.Call(ct))));
                return;
            }

            using var call = client.Watch(new WatchRequest(), ServiceConnection.Stream(ct));
            if (!Terminal.IsInteractive)
            {
                // Redirected output: one full view per report, separated by a blank line.
                await foreach (var report in call.ResponseStream.ReadAllAsync(ct))
                {
                    Terminal.Console.Write(MetricsView.Render(report));
                    Terminal.Console.WriteLine();
                }

                return;
            }

            var holder = new Table().NoBorder().AddColumn(string.Empty).HideHeaders();
            holder.AddRow(new Markup("[grey]waiting for the metrics service...[/]"));
            await Terminal.Console.Live(holder).StartAsync(async context =>
            {
                await foreach (var report in call.ResponseStream.ReadAllAsync(ct))
                {
                    holder.Rows.Clear();
                    holder.AddRow(MetricsView.Render(report));
                    context.Refresh();
                }
            });
        }, cancellationToken));
        return command;
    }
}
