using CdcAspire.Pipeline.Status;

namespace CdcAspire.Sink.Pipeline;

/// <summary>JSON shape of <c>GET /status</c>.</summary>
public sealed record StatusView(
    string Source, string Phase, string? FailureReason, string? DegradedReason, bool Paused, string? LastAcknowledged, long LagBytes, double LagSeconds,
    IReadOnlyList<TableView> Tables)
{
    public static StatusView From(PipelineStatus s) => new(
        s.SourceName, s.Phase.ToString(), s.FailureReason, s.DegradedReason, s.IsPaused, s.LastAcknowledged, s.LagBytes, s.LagSeconds,
        s.Tables.Select(t => new TableView(t.Table.ToString(), t.Index, t.Phase.ToString(), t.SnapshotRowsDone, t.SnapshotRowsEstimated,
            t.Received, t.Indexed, t.Deleted, t.Superseded, t.DeadLettered, t.FailureReason)).ToList());
}

/// <summary>One table in <see cref="StatusView"/>.</summary>
public sealed record TableView(
    string Table, string Index, string Phase, long SnapshotRowsDone, long SnapshotRowsEstimated,
    long Received, long Indexed, long Deleted, long Superseded, long DeadLettered, string? FailureReason);
