using System.Diagnostics.Metrics;
using CdcAspire.Metrics.Collectors;
using CdcAspire.Metrics.V1;

namespace CdcAspire.Metrics.Diagnostics;

/// <summary>
/// The chain's numbers as OpenTelemetry instruments (exported over OTLP and on /metrics). Every instrument is
/// observable and reads the last <see cref="ChainState"/> report, so a scrape never queries the chain and the
/// numbers equal what GetHealth returns. The names are a contract (README, monitoring/ rules): the Prometheus name
/// is the instrument name with dots as underscores, plus the unit suffix (_bytes, _seconds) and _total for counters.
/// </summary>
internal sealed class ChainInstruments
{
    public const string MeterName = "CdcAspire.Metrics";
    private static readonly string[] HealthColours = ["green", "yellow", "red"];

    public ChainInstruments(IMeterFactory meterFactory, ChainState state)
    {
        var meter = meterFactory.Create(MeterName);
        HealthReport? R() => state.Current;
        ChainMetrics? M() => state.Current?.Metrics;

        meter.CreateObservableGauge("cdc.health.status", () => (R()?.Components ?? []).Select(c =>
            new Measurement<int>((int)c.Status, new KeyValuePair<string, object?>("component", c.Name))),
            description: "Each component's status: 1 ok, 2 degraded, 3 down, 4 not configured.");

        // PostgreSQL.
        meter.CreateObservableGauge("cdc.postgres.up", () => One(M()?.Postgres is { } p ? (p.Up ? 1 : 0) : null),
            description: "1 when the source database answered the last reading.");
        meter.CreateObservableGauge("cdc.postgres.wal_level_logical", () => One(M()?.Postgres is { Up: true } p ? (p.WalLevel == "logical" ? 1 : 0) : null),
            description: "1 when wal_level = logical.");
        meter.CreateObservableGauge("cdc.postgres.max_slot_wal_keep_size_bytes", () => OneLong(M()?.Postgres is { HasMaxSlotWalKeepSize: true } p ? p.MaxSlotWalKeepSize : null),
            unit: "By", description: "max_slot_wal_keep_size in bytes (absent when unlimited).");
        meter.CreateObservableGauge("cdc.publication.tables", () => M()?.Postgres is { Up: true } p
            ? [new Measurement<int>(p.PublicationTables.Count, Tag("publication", p.Publication))] : Array.Empty<Measurement<int>>(),
            description: "Tables in the watched publication.");

        // Slots.
        meter.CreateObservableGauge("cdc.slot.active", () => Slots<int>(M(), s => s.Active ? 1 : 0),
            description: "1 when a consumer is connected to the slot (pg_replication_slots.active).");
        meter.CreateObservableGauge("cdc.slot.lag_bytes", () => Slots<long>(M(), s => s.LagBytes),
            unit: "By", description: "pg_current_wal_lsn() - confirmed_flush_lsn: WAL the slot retains.");
        meter.CreateObservableGauge("cdc.slot.lag_seconds", () => Slots<double>(M(), s => s.LagSeconds),
            unit: "s", description: "Seconds the oldest unacknowledged change has waited (0 when caught up).");
        meter.CreateObservableGauge("cdc.slot.safe_wal_size_bytes", () => Slots<long>(M(), s => s.HasSafeWalSize ? s.SafeWalSize : (long?)null),
            unit: "By", description: "pg_replication_slots.safe_wal_size: bytes that can still be written before the slot is lost (absent when unlimited).");
        meter.CreateObservableGauge("cdc.slot.wal_status", () => (M()?.Slots ?? []).Select(s => new Measurement<int>(1,
                Tag("slot", s.Slot), Tag("wal_status", s.WalStatus))),
            description: "1 for the slot's current wal_status (reserved, extended, unreserved, lost).");

        // Sinks.
        meter.CreateObservableGauge("cdc.sink.up", () => (M()?.Sinks ?? []).Select(s => new Measurement<int>(s.Up ? 1 : 0, Tag("sink", s.Address))),
            description: "1 when the sink answered its gRPC GetStatus.");
        meter.CreateObservableGauge("cdc.sink.phase", () => (M()?.Sinks ?? []).Where(s => s.Up).Select(s => new Measurement<int>(1, Tag("sink", s.Address), Tag("phase", s.Phase))),
            description: "1 for the sink's current phase (snapshotting, streaming, paused, failed).");
        meter.CreateObservableGauge("cdc.sink.lag_seconds", () => (M()?.Sinks ?? []).Where(s => s.Up).Select(s => new Measurement<double>(s.LagSeconds, Tag("sink", s.Address))),
            unit: "s", description: "The sink's own commit-to-indexed lag.");
        meter.CreateObservableGauge("cdc.sink.events_per_second", () => (M()?.Sinks ?? []).Where(s => s.Up).Select(s => new Measurement<double>(s.EventsPerSecond, Tag("sink", s.Address))),
            description: "Change events the sink received per second between two readings.");
        meter.CreateObservableCounter("cdc.sink.table.events", () => SinkCounters(M()),
            unit: "{event}", description: "Per-table counters the sink reports (outcome: received, indexed, deleted, superseded, dead_lettered).");

        // DLQ and consistency.
        meter.CreateObservableGauge("cdc.dlq.pending", () => OneLong(M() is { HasDlqPending: true } m ? m.DlqPending : null),
            unit: "{dead_letter}", description: "Pending dead letters (absent when no DLQ service is configured or it does not answer).");
        meter.CreateObservableGauge("cdc.dlq.oldest_pending_age_seconds", () => M() is { HasDlqOldestAgeSeconds: true } m
            ? [new Measurement<double>(m.DlqOldestAgeSeconds)] : Array.Empty<Measurement<double>>(),
            unit: "s", description: "Age of the oldest pending dead letter.");
        meter.CreateObservableGauge("cdc.consistency.differences", () => (M()?.Differences ?? []).SelectMany(d => new[]
            {
                new Measurement<long>(d.Missing, Tag("table", d.Table), Tag("kind", "missing")),
                new Measurement<long>(d.Extra, Tag("table", d.Table), Tag("kind", "extra")),
                new Measurement<long>(d.Mismatched, Tag("table", d.Table), Tag("kind", "mismatched")),
            }),
            unit: "{document}", description: "Differences found by each table's last consistency check.");
        meter.CreateObservableGauge("cdc.consistency.last_check_timestamp_seconds", () => (M()?.Differences ?? []).Where(d => d.CheckedAt is not null)
                .Select(d => new Measurement<double>(d.CheckedAt.Seconds + d.CheckedAt.Nanos / 1e9, Tag("table", d.Table))),
            unit: "s", description: "Unix time of each table's last consistency check.");

        // Elasticsearch.
        meter.CreateObservableGauge("cdc.elasticsearch.up", () => One(M()?.Elasticsearch is { } e ? (e.Up ? 1 : 0) : null),
            description: "1 when Elasticsearch answered _cluster/health.");
        meter.CreateObservableGauge("cdc.elasticsearch.cluster_health", () => M()?.Elasticsearch is { Up: true } e
            ? HealthColours.Select(s => new Measurement<int>(e.ClusterHealth == s ? 1 : 0, Tag("status", s)))
            : [],
            description: "1 for the cluster's current health status.");
        meter.CreateObservableGauge("cdc.elasticsearch.docs", () => (M()?.Elasticsearch?.DocCounts ?? []).Select(p => new Measurement<long>(p.Value, Tag("index", p.Key))),
            unit: "{document}", description: "Documents per index (primaries).");
        meter.CreateObservableCounter("cdc.elasticsearch.indexing", () => (M()?.Elasticsearch?.IndexingTotal ?? []).Select(p => new Measurement<long>(p.Value, Tag("index", p.Key))),
            unit: "{operation}", description: "indexing.index_total per index (primaries): rate() of it is the indexing rate.");
        meter.CreateObservableGauge("cdc.elasticsearch.indexing_per_second", () => (M()?.Elasticsearch?.IndexingRate ?? []).Select(p => new Measurement<double>(p.Value, Tag("index", p.Key))),
            description: "Indexing operations per second per index between two readings.");

        // Kafka topology.
        meter.CreateObservableGauge("cdc.connector.status", () => (M()?.Connectors ?? []).Select(c => new Measurement<int>(1, Tag("connector", c.Name), Tag("state", c.State))),
            description: "1 for each Kafka Connect connector's current state (RUNNING, PAUSED, FAILED, UNASSIGNED).");
        meter.CreateObservableGauge("cdc.connector.failed_tasks", () => (M()?.Connectors ?? []).Select(c => new Measurement<int>(c.FailedTasks, Tag("connector", c.Name))),
            unit: "{task}", description: "Failed tasks per connector.");
        meter.CreateObservableGauge("cdc.consumer.lag", () => (M()?.ConsumerLag ?? []).Select(l => new Measurement<long>(l.Lag,
                Tag("group", l.Group), Tag("topic", l.Topic), Tag("partition", l.Partition))),
            unit: "{message}", description: "Consumer-group lag per partition (high watermark - committed offset).");
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static IEnumerable<Measurement<int>> One(int? value) => value is { } v ? [new Measurement<int>(v)] : [];

    private static IEnumerable<Measurement<long>> OneLong(long? value) => value is { } v ? [new Measurement<long>(v)] : [];

    private static IEnumerable<Measurement<T>> Slots<T>(ChainMetrics? m, Func<SlotMetrics, T?> value) where T : struct =>
        (m?.Slots ?? []).Where(s => value(s) is not null).Select(s => new Measurement<T>(value(s)!.Value, Tag("slot", s.Slot)));

    private static IEnumerable<Measurement<long>> SinkCounters(ChainMetrics? m)
    {
        foreach (var sink in m?.Sinks ?? [])
        {
            foreach (var t in sink.Tables)
            {
                foreach (var (outcome, value) in new[]
                {
                    ("received", t.Received), ("indexed", t.Indexed), ("deleted", t.Deleted),
                    ("superseded", t.Superseded), ("dead_lettered", t.DeadLettered),
                })
                {
                    yield return new Measurement<long>((long)value, Tag("sink", sink.Address), Tag("table", t.Table), Tag("outcome", outcome));
                }
            }
        }
    }
}
