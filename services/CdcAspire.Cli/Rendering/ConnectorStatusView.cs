using CdcAspire.Cli.Connect;
using CdcAspire.KafkaConnect;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CdcAspire.Cli.Rendering;

/// <summary>
/// Renders a <see cref="ConnectorStatus"/>: one connector line (state, worker), then a row per task with a one-line
/// summary of a failed task's stack trace.
/// </summary>
public static class ConnectorStatusView
{
    private const int TraceWidth = 160;

    public static IRenderable Render(ConnectorStatus status, SecretScrubber secrets)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(secrets);
        var connector = status.Connector;
        var line = $"Connector [bold]{Markup.Escape(status.Name)}[/]{(status.Type is null ? string.Empty : $" ({Markup.Escape(status.Type)})")}: " +
                   $"{StateMarkup(connector.State)} on {Markup.Escape(connector.WorkerId ?? "no worker")}";
        var rows = new List<IRenderable> { new Markup(line) };
        if (connector.IsFailed && connector.Trace is { } connectorTrace)
        {
            rows.Add(new Markup("  " + Markup.Escape(secrets.Scrub(Summarize(connectorTrace)))));
        }

        if (status.Tasks.Count == 0)
        {
            rows.Add(new Markup("[yellow]No tasks[/] (the connector has not started any yet, or failed before it could)."));
            return new Rows(rows);
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("Task", "State", "Worker", "Trace");
        foreach (var task in status.Tasks)
        {
            table.AddRow(
                Markup.Escape(task.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"),
                StateMarkup(task.State),
                Markup.Escape(task.WorkerId ?? string.Empty),
                task.IsFailed && task.Trace is { } trace ? Markup.Escape(secrets.Scrub(Summarize(trace))) : string.Empty);
        }

        rows.Add(table);
        return new Rows(rows);
    }

    /// <summary>
    /// A Java stack trace in one line: its first line (the exception Connect caught) and, when there is one, the last
    /// "Caused by:" (the root cause: e.g. PostgreSQL's "replication slot ... is active"), cut to a readable width.
    /// </summary>
    public static string Summarize(string trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var lines = trace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return string.Empty;
        }

        var cause = lines.LastOrDefault(l => l.StartsWith("Caused by:", StringComparison.Ordinal));
        var summary = cause is null ? lines[0] : $"{lines[0]} | {cause}";
        return summary.Length <= TraceWidth ? summary : string.Concat(summary.AsSpan(0, TraceWidth - 3), "...");
    }

    private static string StateMarkup(string state) => state switch
    {
        "RUNNING" => "[green]RUNNING[/]",
        "FAILED" => "[red]FAILED[/]",
        _ => $"[yellow]{Markup.Escape(state)}[/]",
    };
}
