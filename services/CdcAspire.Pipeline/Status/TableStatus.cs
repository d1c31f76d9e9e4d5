using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Status;

/// <summary>Live counters and phase of one table. Updated with Interlocked from the pipeline's threads.</summary>
public sealed class TableStatus(TableId table, string index)
{
    private long _received;
    private long _indexed;
    private long _deleted;
    private long _superseded;
    private long _deadLettered;
    private long _snapshotRowsDone;

    public TableId Table { get; } = table;

    /// <summary><c>schema.table</c>, kept to tag metrics without building the string per event.</summary>
    public string Name { get; } = table.ToString();

    public string Index { get; } = index;

    public PipelinePhase Phase { get; internal set; } = PipelinePhase.Starting;

    /// <summary>Why this table is not followed (its phase is then <see cref="PipelinePhase.Failed"/>), with the fix.</summary>
    public string? FailureReason { get; internal set; }

    /// <summary>Estimated rows to snapshot (from pg_class.reltuples), 0 if unknown.</summary>
    public long SnapshotRowsEstimated { get; internal set; }

    public long SnapshotRowsDone => Interlocked.Read(ref _snapshotRowsDone);

    public long Received => Interlocked.Read(ref _received);

    public long Indexed => Interlocked.Read(ref _indexed);

    public long Deleted => Interlocked.Read(ref _deleted);

    public long Superseded => Interlocked.Read(ref _superseded);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    internal void AddReceived() => Interlocked.Increment(ref _received);

    internal void AddIndexed(long n) => Interlocked.Add(ref _indexed, n);

    internal void AddDeleted(long n) => Interlocked.Add(ref _deleted, n);

    internal void AddSuperseded(long n) => Interlocked.Add(ref _superseded, n);

    internal void AddDeadLettered(long n) => Interlocked.Add(ref _deadLettered, n);

    internal void SetSnapshotRowsDone(long n) => Interlocked.Exchange(ref _snapshotRowsDone, n);
}
