using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Options;

/// <summary>
/// The <c>Cdc</c> configuration section: which tables go where, and how the pipeline batches and acknowledges.
/// Connection strings are not here: they come from <c>ConnectionStrings:appdb</c>, <c>ConnectionStrings:elasticsearch</c>
/// and <c>ConnectionStrings:kafka</c>, exactly as the Aspire AppHost injects them.
/// </summary>
public sealed class CdcOptions
{
    public const string SectionName = "Cdc";

    /// <summary><c>postgres</c> (pgoutput through Npgsql, the default) or <c>kafka</c> (Debezium events).</summary>
    public string Source { get; set; } = SourceNames.Postgres;

    /// <summary>Replication slot name (default <c>cdcaspire</c>). One slot per sink deployment.</summary>
    public string SlotName { get; set; } = "cdcaspire";

    /// <summary>Publication name (default <c>cdcaspire</c>); created or brought in line with <see cref="Tables"/>.</summary>
    public string PublicationName { get; set; } = "cdcaspire";

    /// <summary>Schema for the pipeline's own tables (dead letters, snapshot progress), never published. Default <c>cdc</c>.</summary>
    public string StateSchema { get; set; } = "cdc";

    /// <summary>
    /// The tables to follow, keyed by <c>schema.table</c> (or <c>table</c> for <c>public</c>). At least one.
    /// </summary>
    public Dictionary<string, TableOptions> Tables { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Rows read per snapshot query (default 5000): bounds memory for large tables.</summary>
    public int SnapshotChunkSize { get; set; } = 5000;

    /// <summary>
    /// How often to write a heartbeat into the WAL (a logical decoding message) so the slot advances even when the
    /// followed tables are idle and other tables are busy (default 10 s; zero turns it off).
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Folder of index templates (<c>*.json</c>, file name = template name) applied at start-up. Optional.</summary>
    public string? IndexTemplatesPath { get; set; }

    /// <summary>
    /// Kafka topology: the replication slot Debezium reads (its <c>slot.name</c>, default <c>cdc_debezium</c> as in
    /// connectors/postgres-source.json). Replays and repairs take their version fence from its confirmed position.
    /// </summary>
    public string DebeziumSlotName { get; set; } = "cdc_debezium";

    /// <summary>Bulk writer settings.</summary>
    public WriterOptions Writer { get; set; } = new();
}
