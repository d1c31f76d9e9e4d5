using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.State;
using NpgsqlTypes;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>
/// The end of a transaction (its commit's end LSN) or a heartbeat message: once acknowledged, the slot's
/// <c>confirmed_flush_lsn</c> moves here and everything committed up to it is never sent again.
/// </summary>
public sealed record LsnCheckpoint(ulong Lsn) : Checkpoint
{
    public override bool IsCoveredBy(Checkpoint later) => later is LsnCheckpoint;

    public override string ToString() => new NpgsqlLogSequenceNumber(Lsn).ToString();
}

/// <summary>A snapshot chunk (or the whole table, when <see cref="SnapshotProgress.Done"/>) that can be recorded as done.</summary>
public sealed record SnapshotCheckpoint(SnapshotProgress Progress) : Checkpoint
{
    public override bool IsCoveredBy(Checkpoint later) => later is SnapshotCheckpoint s && s.Progress.Table == Progress.Table;

    public override string ToString() => $"snapshot {Progress.Table}: {Progress.RowsDone} rows{(Progress.Done ? ", done" : string.Empty)}";
}
