using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CdcAspire.Cli.Rendering;
using CdcAspire.Dlq.V1;
using Spectre.Console;

namespace CdcAspire.Cli.Commands.Dlq;

/// <summary><c>cdc dlq stats [--json]</c>: counts by state, table and error type; the "what broke" groups; the breaker.</summary>
public static class DlqStatsCommand
{
    private static readonly string[] States = ["pending", "resolved", "discarded", "archived"];

    public static Command Create()
    {
        var json = CliOptions.Json();
        var command = new Command("stats", "Count dead letters by state, table and error type, and show the replay circuit breaker.");
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, DlqCommand.Service, async (connection, ct) =>
        {
            var stats = await new DlqService.DlqServiceClient(connection.Channel).GetStatsAsync(new GetStatsRequest(), connection.Call(ct));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new JsonObject
                {
                    ["byState"] = JsonOutput.Counts(stats.ByState),
                    ["byTable"] = JsonOutput.Counts(stats.ByTable),
                    ["byErrorType"] = JsonOutput.Counts(stats.ByErrorType),
                    ["groups"] = new JsonArray(stats.Groups.Select(g => (JsonNode)new JsonObject
                    {
                        ["table"] = g.Table,
                        ["errorType"] = g.ErrorType,
                        ["count"] = g.Count,
                        ["oldest"] = JsonOutput.Time(g.Oldest),
                        ["sampleReason"] = g.SampleReason,
                    }).ToArray()),
                    ["oldestPendingAgeSeconds"] = stats.OldestPendingAge?.ToTimeSpan().TotalSeconds ?? 0,
                    ["breaker"] = new JsonObject
                    {
                        ["state"] = stats.Breaker?.State ?? string.Empty,
                        ["reason"] = stats.Breaker?.Reason ?? string.Empty,
                        ["retryAt"] = JsonOutput.Time(stats.Breaker?.RetryAt),
                    },
                });
                return;
            }

            var states = string.Join("  ", States.Select(s => $"{s} {(stats.ByState.TryGetValue(s, out var n) ? n : 0).ToString("N0", CultureInfo.InvariantCulture)}"));
            Terminal.Console.MarkupLine(Markup.Escape(states));
            var age = stats.OldestPendingAge?.ToTimeSpan() ?? TimeSpan.Zero;
            Terminal.Console.MarkupLine(Markup.Escape($"oldest pending: {(age == TimeSpan.Zero ? "-" : age.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture))}"));
            if (stats.Breaker is { State.Length: > 0 } breaker)
            {
                var line = $"replay breaker: {breaker.State}";
                if (breaker.Reason.Length > 0)
                {
                    line += $" ({breaker.Reason})";
                }

                if (breaker.RetryAt is not null && breaker.State != "closed")
                {
                    line += $", retry at {breaker.RetryAt.ToDateTimeOffset().ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC";
                }

                Terminal.Console.MarkupLine(Markup.Escape(line));
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Table", "Error type", "Pending", "Oldest", "Example reason");
            foreach (var g in stats.Groups)
            {
                table.AddRow(Markup.Escape(g.Table), Markup.Escape(g.ErrorType), g.Count.ToString("N0", CultureInfo.InvariantCulture),
                    Markup.Escape(g.Oldest?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-"),
                    Markup.Escape(DlqListCommand.Shorten(g.SampleReason, 80)));
            }

            Terminal.Console.Write(table);
        }, cancellationToken));
        return command;
    }
}
