using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.State;

/// <summary>How far a table's snapshot has been acknowledged: rows up to <see cref="LastKey"/> are in Elasticsearch.</summary>
public sealed record SnapshotProgress(TableId Table, string[]? LastKey, long RowsDone, bool Done);
