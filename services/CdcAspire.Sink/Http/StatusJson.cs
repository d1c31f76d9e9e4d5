using CdcAspire.Pipeline.Status;

namespace CdcAspire.Sink.Http;

/// <summary>
/// JSON shape of <c>GET /status</c>, for people and scripts; the gRPC <c>GetStatus</c> (<see cref="Grpc.StatusMapper"/>)
/// is the typed one. (The CLI's <c>StatusView</c> renders the gRPC status; this is not a second view of it.)
/// </summary>
public sealed record StatusJson(
    string Source, string Phase, string? FailureReason, string? DegradedReason, bool Paused, string? LastAcknowledged, long LagBytes, double LagSeconds,
    IReadOnlyList<TableStatusJson> Tables)
{
    public static StatusJson From(PipelineStatus s) => new(
        s.SourceName, s.Phase.ToString(), s.FailureReason, s.DegradedReason, s.IsPaused, s.LastAcknowledged, s.LagBytes, s.LagSeconds,
        s.Tables.Select(t => new TableStatusJson(t.Table.ToString(), t.Index, t.Phase.ToString(), t.SnapshotRowsDone, t.SnapshotRowsEstimated,
            t.Received, t.Indexed, t.Deleted, t.Superseded, t.DeadLettered, t.FailureReason)).ToList());
}

/// <summary>One table in <see cref="StatusJson"/>.</summary>
public sealed record TableStatusJson(
    string Table, string Index, string Phase, long SnapshotRowsDone, long SnapshotRowsEstimated,
    long Received, long Indexed, long Deleted, long Superseded, long DeadLettered, string? FailureReason);
