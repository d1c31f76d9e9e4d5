namespace CdcAspire.Consistency.Options;

/// <summary>
/// The <c>Consistency</c> configuration section. The tables, their indices and the sink's slot come from the same
/// <c>Cdc</c> section the sink reads, so the checker compares exactly what the sink writes.
/// </summary>
public sealed class ConsistencyOptions
{
    public const string SectionName = "Consistency";

    /// <summary>Results kept per table in <c>{Cdc:StateSchema}.consistency_results</c> (default 20).</summary>
    public int KeepResults { get; set; } = 20;

    /// <summary>Rows per PostgreSQL keyset page and documents per Elasticsearch search_after page (default 2000).</summary>
    public int PageSize { get; set; } = 2000;

    /// <summary>Rows compared in sample mode when the request does not say (default 1000).</summary>
    public int SampleSize { get; set; } = 1000;

    /// <summary>Differences listed per table in a result when the request does not say (default 1000; counts are always complete).</summary>
    public int MaxDifferences { get; set; } = 1000;

    /// <summary>
    /// At most this many candidate differences of one check are re-checked and kept for repair (default 100,000);
    /// beyond it they are counted from the first pass only. Bounds the memory a badly diverged index needs.
    /// </summary>
    public int MaxCandidates { get; set; } = 100_000;

    /// <summary>
    /// Rows or documents with no partner yet kept while the two key-ordered streams are merged (default 10,000): room
    /// for the two sides to disagree locally on order without a false missing/extra, and the merge's memory bound.
    /// </summary>
    public int MergeWindow { get; set; } = 10_000;

    /// <summary>How long a re-check waits for the sink's slot to acknowledge past the check (default 30 s).</summary>
    public TimeSpan SinkWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rounds a re-check repeats a difference whose row keeps changing before it gives up on it (default 3).</summary>
    public int RecheckRounds { get; set; } = 3;

    /// <summary>Point-in-time keep-alive between two pages (default 2 minutes).</summary>
    public TimeSpan PitKeepAlive { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Scheduled checks: <c>Consistency:Schedules:{schema.table}</c> = interval (e.g. <c>01:00:00</c>). Default: none
    /// (scheduling is off).
    /// </summary>
    public Dictionary<string, TimeSpan> Schedules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Mode of scheduled checks: <c>full</c> (default), <c>sample</c> or <c>count</c>.</summary>
    public string ScheduledMode { get; set; } = "full";

    /// <summary>
    /// Resync: how long to wait for the sink to confirm it writes into both indices, and later that it stopped writing
    /// into an abandoned one (default 1 minute). The sink must be running for a resync.
    /// </summary>
    public TimeSpan ResyncSinkTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Resync: how long to wait for the sink to acknowledge past the end of the snapshot before the swap (default 5 minutes).</summary>
    public TimeSpan ResyncCatchUpTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
