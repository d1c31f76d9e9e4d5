using System.Globalization;
using CdcAspire.Sink.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CdcAspire.Cli.Rendering;

/// <summary>Renders a <see cref="StatusResponse"/>: one pipeline line, then a table with a row per table.</summary>
public static class StatusView
{
    public static IRenderable Render(StatusResponse status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var pipeline = status.Pipeline ?? new PipelineStatus();
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("Table", "Phase", "Progress", "Received", "Indexed", "Deleted", "Superseded", "Dead-lettered", "Index");
        foreach (var t in status.Tables)
        {
            var counters = t.Counters ?? new TableCounters();
            table.AddRow(
                Markup.Escape($"{t.Schema}.{t.Name}"),
                PhaseMarkup(t.Phase, t.FailureReason),
                Markup.Escape(Progress(t)),
                Count(counters.Received),
                Count(counters.Indexed),
                Count(counters.Deleted),
                Count(counters.Superseded),
                counters.DeadLettered > 0 ? $"[yellow]{Count(counters.DeadLettered)}[/]" : Count(counters.DeadLettered),
                Markup.Escape(t.Index));
        }

        return new Rows(new Markup(PipelineLine(pipeline)), table);
    }

    public static string PhaseName(Phase phase) => phase switch
    {
        Phase.Snapshotting => "snapshotting",
        Phase.Streaming => "streaming",
        Phase.Paused => "paused",
        Phase.Failed => "failed",
        _ => "unknown",
    };

    private static string PipelineLine(PipelineStatus p)
    {
        var position = string.IsNullOrEmpty(p.AcknowledgedPosition) ? "none yet" : p.AcknowledgedPosition;
        var line = $"Pipeline [bold]{Markup.Escape(p.Source)}[/]: {PhaseMarkup(p.Phase, null)}  " +
                   $"acknowledged {Markup.Escape(position)}  lag {Bytes(p.LagBytes)} / {p.LagSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
        return string.IsNullOrEmpty(p.Reason) ? line : line + $"  ({Markup.Escape(p.Reason)})";
    }

    private static string PhaseMarkup(Phase phase, string? reason)
    {
        var color = phase switch
        {
            Phase.Streaming => "green",
            Phase.Snapshotting => "blue",
            Phase.Paused => "yellow",
            Phase.Failed => "red",
            _ => "grey",
        };
        var text = string.IsNullOrEmpty(reason) ? PhaseName(phase) : $"{PhaseName(phase)}: {reason}";
        return $"[{color}]{Markup.Escape(text)}[/]";
    }

    private static string Progress(TableStatus t)
    {
        if (t.Snapshot is null)
        {
            return "-";
        }

        var done = t.Snapshot.RowsDone;
        var estimated = t.Snapshot.RowsEstimated;
        if (estimated == 0)
        {
            return Count(done) + " rows";
        }

        // The estimate comes from planner statistics and can be below the real count; never show more than 100%.
        var percent = Math.Min(100.0, 100.0 * done / estimated);
        return $"{percent.ToString("0.0", CultureInfo.InvariantCulture)}% ({Count(done)}/{Count(estimated)})";
    }

    private static string Count(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(ulong value) => value switch
    {
        < 1024 => $"{value} B",
        < 1024 * 1024 => (value / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024UL * 1024 * 1024 => (value / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (value / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
    };
}
