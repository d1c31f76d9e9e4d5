namespace CdcAspire.Pipeline.Changes;

/// <summary>
/// A change to one row (or a whole table, for <see cref="ChangeKind.Truncate"/>), copied out of the source's
/// buffers into immutable memory so it can cross channels. Both sources produce these; nothing downstream knows
/// which source it came from.
/// </summary>
/// <param name="Table">The source table.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Position">Commit-order position; the Elasticsearch version derives from it.</param>
/// <param name="Key">Primary-key values as text, in key-column order (empty for a truncate).</param>
/// <param name="Row">The new row image for snapshot/insert/update; null for delete and truncate.</param>
/// <param name="OldKey">For an update that changed the key: the previous key, whose document must go.</param>
/// <param name="CommitTime">When the transaction committed, if the source knows (for latency metrics).</param>
public sealed record ChangeEvent(
    TableId Table,
    ChangeKind Kind,
    Position Position,
    IReadOnlyList<string> Key,
    IReadOnlyList<ColumnValue>? Row,
    IReadOnlyList<string>? OldKey = null,
    DateTimeOffset? CommitTime = null);
