using System.Globalization;
using CdcAspire.Metrics.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CdcAspire.Cli.Commands.Health;

/// <summary>A compact view of <see cref="ChainMetrics"/>: slots, sinks, Elasticsearch, DLQ, differences, Kafka.</summary>
internal static class MetricsView
{
    public static IRenderable Render(HealthReport report)
    {
        var m = report.Metrics ?? new ChainMetrics();
        var rows = new List<IRenderable>
        {
            new Markup(Markup.Escape($"Chain: {HealthCommand.Name(HealthCommand.Overall(report))}  at {report.ObservedAt?.ToDateTimeOffset().ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-"} UTC")),
        };

        if (m.Slots.Count > 0)
        {
            var slots = new Table().Border(TableBorder.Rounded).AddColumns("Slot", "Active", "Confirmed", "Lag", "Lag s", "WAL status", "Safe WAL");
            foreach (var s in m.Slots)
            {
                slots.AddRow(E(s.Slot), s.Active ? "yes" : "[red]no[/]", E(s.ConfirmedFlushLsn), Bytes(s.LagBytes), S(s.LagSeconds), E(s.WalStatus),
                    s.HasSafeWalSize ? Bytes(s.SafeWalSize) : "unlimited");
            }

            rows.Add(slots);
        }

        if (m.Sinks.Count > 0)
        {
            var sinks = new Table().Border(TableBorder.Rounded).AddColumns("Sink", "Up", "Phase", "Events/s", "Lag s");
            foreach (var s in m.Sinks)
            {
                sinks.AddRow(E(s.Address), s.Up ? "yes" : "[red]no[/]", E(s.Phase), S(s.EventsPerSecond), S(s.LagSeconds));
            }

            rows.Add(sinks);
        }

        if (m.Elasticsearch is { } es)
        {
            var indexes = new Table().Border(TableBorder.Rounded).AddColumns("Index", "Documents", "Indexing/s");
            foreach (var (index, count) in es.DocCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                indexes.AddRow(E(index), count.ToString("N0", CultureInfo.InvariantCulture), S(es.IndexingRate.TryGetValue(index, out var rate) ? rate : 0));
            }

            rows.Add(new Markup(E($"Elasticsearch: {(es.Up ? "up" : "down")}, cluster {(es.ClusterHealth.Length > 0 ? es.ClusterHealth : "-")}")));
            rows.Add(indexes);
        }

        if (m.HasDlqPending)
        {
            rows.Add(new Markup(E($"DLQ: {m.DlqPending:N0} pending, oldest {S(m.HasDlqOldestAgeSeconds ? m.DlqOldestAgeSeconds : 0)} s")));
        }

        if (m.Differences.Count > 0)
        {
            var differences = new Table().Border(TableBorder.Rounded).AddColumns("Table", "Missing", "Extra", "Mismatched", "Checked");
            foreach (var d in m.Differences)
            {
                differences.AddRow(E(d.Table), d.Missing.ToString(CultureInfo.InvariantCulture), d.Extra.ToString(CultureInfo.InvariantCulture),
                    d.Mismatched.ToString(CultureInfo.InvariantCulture), E(d.CheckedAt?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-"));
            }

            rows.Add(differences);
        }

        if (m.Connectors.Count > 0 || m.ConsumerLag.Count > 0)
        {
            var kafka = new Table().Border(TableBorder.Rounded).AddColumns("Kafka", "State / lag");
            foreach (var c in m.Connectors)
            {
                kafka.AddRow(E("connector " + c.Name), E($"{c.State}{(c.FailedTasks > 0 ? $", {c.FailedTasks} failed tasks" : string.Empty)}"));
            }

            foreach (var l in m.ConsumerLag)
            {
                kafka.AddRow(E($"{l.Group} {l.Topic}[{l.Partition}]"), l.Lag.ToString("N0", CultureInfo.InvariantCulture));
            }

            rows.Add(kafka);
        }

        return new Rows(rows);
    }

    private static string E(string text) => Markup.Escape(text);

    private static string S(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Bytes(long value) => value switch
    {
        < 1024 => $"{value} B",
        < 1024 * 1024 => (value / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (value / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (value / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
    };
}
