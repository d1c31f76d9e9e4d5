using System.Globalization;
using CdcAspire.Metrics.Diagnostics;
using CdcAspire.Metrics.Health;
using CdcAspire.Metrics.V1;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Metrics.Collectors.Postgres;

/// <summary>
/// The source database from outside the sink: wal_level, the publication and its tables, and every watched slot
/// (active, confirmed_flush_lsn, bytes and seconds behind, wal_status, safe_wal_size).
/// </summary>
internal sealed class PostgresProbe(
    PostgresReader? reader,
    PostgresTargets targets,
    WalClock clock,
    TimeProvider time,
    ILogger<PostgresProbe> logger) : IChainProbe
{
    public const string ComponentName = "postgres";

    public string Name => ComponentName;

    public async Task<HealthReport> ProbeAsync(CancellationToken cancellationToken)
    {
        var report = new HealthReport { Metrics = new ChainMetrics() };
        if (reader is null)
        {
            report.Components.Add(Components.NotConfigured(ComponentName, "Set ConnectionStrings:appdb (ConnectionStrings__appdb) to the source database."));
            return report;
        }

        report.Metrics.Postgres = new PostgresMetrics { Publication = targets.Publication };

        var pg = report.Metrics.Postgres;
        PostgresReader.Settings settings;
        IReadOnlyList<SlotRow> slots;
        IReadOnlyList<string>? tables;
        try
        {
            settings = await reader.ReadSettingsAsync(cancellationToken);
            slots = await reader.ReadSlotsAsync(cancellationToken);
            tables = await reader.ReadPublicationTablesAsync(targets.Publication, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            Log.ProbeFailed(logger, ComponentName, ex.Message);
            report.Components.Add(Components.Down(ComponentName, $"cannot query the source database: {ex.Message}",
                "Check that PostgreSQL is running and ConnectionStrings:appdb points at it (host, port, user, password)."));
            foreach (var name in targets.Slots)
            {
                report.Components.Add(Components.Down(SlotComponent(name), "the source database does not answer", "Fix the postgres component first."));
            }

            return report;
        }

        var now = time.GetUtcNow();
        clock.Record(now, settings.CurrentLsn);
        pg.Up = true;
        pg.WalLevel = settings.WalLevel;
        pg.CurrentWalLsn = new NpgsqlLogSequenceNumber(settings.CurrentLsn).ToString();
        if (settings.MaxSlotWalKeepSize is { } max)
        {
            pg.MaxSlotWalKeepSize = max;
        }

        pg.PublicationTables.AddRange(tables ?? []);
        report.Components.Add(PostgresComponent(settings, tables));

        var watched = targets.Slots.Union(slots.Select(s => s.Name), StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in watched)
        {
            var row = slots.FirstOrDefault(s => s.Name == name);
            if (row is null)
            {
                report.Components.Add(Components.Down(SlotComponent(name), $"replication slot '{name}' does not exist",
                    "Start the sink: it creates its slot (Cdc:SlotName) and snapshots the tables. If the slot was dropped on purpose, remove it from Metrics:Slots."));
                continue;
            }

            var metrics = ToMetrics(row, now);
            report.Metrics.Slots.Add(metrics);
            report.Components.Add(SlotHealth(metrics, settings.MaxSlotWalKeepSize));
        }

        if (slots.Where(s => s.ConfirmedFlushLsn is not null).Select(s => s.ConfirmedFlushLsn!.Value).DefaultIfEmpty(settings.CurrentLsn).Min() is var oldest)
        {
            clock.Prune(oldest);
        }

        return report;
    }

    public static string SlotComponent(string slot) => "slot:" + slot;

    private SlotMetrics ToMetrics(SlotRow row, DateTimeOffset now)
    {
        var slot = new SlotMetrics
        {
            Slot = row.Name,
            Active = row.Active,
            ConfirmedFlushLsn = row.ConfirmedFlushLsn is { } c ? new NpgsqlLogSequenceNumber(c).ToString() : string.Empty,
            LagBytes = Math.Max(0, row.LagBytes ?? 0),
            LagSeconds = row.ConfirmedFlushLsn is { } confirmed ? clock.LagSeconds(confirmed, now) : 0,
            WalStatus = row.WalStatus ?? string.Empty,
        };
        if (row.SafeWalSize is { } safe)
        {
            slot.SafeWalSize = safe;
        }

        return slot;
    }

    private Component PostgresComponent(PostgresReader.Settings settings, IReadOnlyList<string>? tables)
    {
        if (settings.WalLevel != "logical")
        {
            return Components.Down(ComponentName, $"wal_level is '{settings.WalLevel}', logical decoding needs 'logical'",
                "ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL.");
        }

        if (tables is null)
        {
            return Components.Degraded(ComponentName, $"publication '{targets.Publication}' does not exist",
                "Start the sink (it creates the publication for Cdc:Tables), or set Metrics:Publication / Cdc:PublicationName to the one in use.");
        }

        if (tables.Count == 0)
        {
            return Components.Degraded(ComponentName, $"publication '{targets.Publication}' has no tables",
                "Configure Cdc:Tables on the sink and restart it, or ALTER PUBLICATION ... ADD TABLE ...");
        }

        return Components.Ok(ComponentName);
    }

    private Component SlotHealth(SlotMetrics slot, long? maxKeep)
    {
        var name = SlotComponent(slot.Slot);
        if (slot.WalStatus == "lost")
        {
            return Components.Down(name, "the slot lost WAL it still needed (wal_status = lost): changes were skipped",
                "Drop the slot (SELECT pg_drop_replication_slot('" + slot.Slot + "')) and restart the sink so it snapshots again; raise max_slot_wal_keep_size.");
        }

        if (!slot.Active)
        {
            return Components.Degraded(name, $"the slot is inactive (no consumer); {FormatBytes(slot.LagBytes)} of WAL retained, {slot.LagSeconds:0} s behind",
                "Start the sink (or the Debezium connector) that reads this slot; drop the slot if nothing will read it again, or the WAL keeps growing.");
        }

        if (slot.WalStatus == "unreserved" || (maxKeep is > 0 && slot.HasSafeWalSize && slot.SafeWalSize < maxKeep / 5))
        {
            return Components.Degraded(name, $"WAL retention is near max_slot_wal_keep_size ({FormatBytes(slot.SafeWalSize)} left before the slot is lost)",
                "Find why the consumer is behind (cdc status, cdc health); raise max_slot_wal_keep_size if the lag is expected.");
        }

        if (slot.LagSeconds > targets.LagDegradedSeconds)
        {
            return Components.Degraded(name, $"{slot.LagSeconds:0} s behind ({FormatBytes(slot.LagBytes)})",
                "Check the sink's throughput and Elasticsearch (cdc status, cdc metrics); a large snapshot or a paused sink explains it.");
        }

        return Components.Ok(name);
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}

/// <summary>What the PostgreSQL probe looks at: the configured slots, the publication, the lag threshold.</summary>
internal sealed record PostgresTargets(IReadOnlyList<string> Slots, string Publication, double LagDegradedSeconds);
