using System.CommandLine;
using System.Text.Json.Nodes;
using CdcAspire.Cli.Rendering;
using CdcAspire.Metrics.V1;
using Spectre.Console;
using HealthStatus = CdcAspire.Metrics.V1.Status;

namespace CdcAspire.Cli.Commands.Health;

/// <summary>
/// <c>cdc health [--json]</c>: every component of the chain, as the metrics service sees it. Exit 0 only when every
/// configured component is ok (a component that is not configured is listed and does not count), 5 otherwise.
/// </summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var json = CliOptions.Json();
        var command = new Command("health", "Check every component of the chain (PostgreSQL, slots, sinks, Elasticsearch, Kafka, DLQ, consistency).");
        command.Options.Add(MetricsOptions.Address());
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, MetricsOptions.Service, async (connection, ct) =>
        {
            var report = await new MetricsService.MetricsServiceClient(connection.Channel).GetHealthAsync(new GetHealthRequest(), connection.Call(ct));
            var overall = Overall(report);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new JsonObject
                {
                    ["status"] = Name(overall),
                    ["components"] = new JsonArray(report.Components.Select(c => (JsonNode)new JsonObject
                    {
                        ["name"] = c.Name,
                        ["status"] = Name(c.Status),
                        ["reason"] = c.Reason,
                        ["fix"] = c.Fix,
                    }).ToArray()),
                    ["observedAt"] = JsonOutput.Time(report.ObservedAt),
                });
            }
            else
            {
                Terminal.Console.MarkupLine($"Chain: {Markup(overall)}");
                var table = new Table().Border(TableBorder.Rounded).AddColumns("Component", "Status", "Reason", "Fix");
                foreach (var c in report.Components)
                {
                    table.AddRow(Spectre.Console.Markup.Escape(c.Name), Markup(c.Status), Spectre.Console.Markup.Escape(c.Reason), Spectre.Console.Markup.Escape(c.Fix));
                }

                Terminal.Console.Write(table);
            }

            return overall == HealthStatus.Ok ? ExitCodes.Ok : ExitCodes.NotClean;
        }, cancellationToken));
        return command;
    }

    /// <summary>
    /// The worst status of the configured components, and never better than what the service reports. With no
    /// configured component at all nothing was verified, which is not "ok".
    /// </summary>
    internal static HealthStatus Overall(HealthReport report)
    {
        var configured = report.Components.Where(c => c.Status != HealthStatus.NotConfigured).Select(c => c.Status).ToList();
        if (configured.Count == 0)
        {
            return report.Status is HealthStatus.Degraded or HealthStatus.Down ? report.Status : HealthStatus.Down;
        }

        var worst = configured.Max(Rank);
        worst = Math.Max(worst, report.Status is HealthStatus.Degraded or HealthStatus.Down ? Rank(report.Status) : 0);
        return worst switch { 0 => HealthStatus.Ok, 1 => HealthStatus.Degraded, _ => HealthStatus.Down };
    }

    internal static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Ok => "ok",
        HealthStatus.Degraded => "degraded",
        HealthStatus.Down => "down",
        HealthStatus.NotConfigured => "not-configured",
        _ => "unknown",
    };

    private static int Rank(HealthStatus status) => status switch
    {
        HealthStatus.Ok => 0,
        HealthStatus.Degraded => 1,
        _ => 2, // down, or a status this CLI does not know: not ok.
    };

    private static string Markup(HealthStatus status) => status switch
    {
        HealthStatus.Ok => "[green]ok[/]",
        HealthStatus.Degraded => "[yellow]degraded[/]",
        HealthStatus.Down => "[red]down[/]",
        HealthStatus.NotConfigured => "[grey]not configured[/]",
        _ => "[red]unknown[/]",
    };
}
