using CdcAspire.Pipeline.Status;
using CdcAspire.Sink.Hosting;
using Google.Protobuf.WellKnownTypes;
using V1 = CdcAspire.Sink.V1;

namespace CdcAspire.Sink.Grpc;

/// <summary>The pipeline's live status as the <c>cdcaspire.sink.v1</c> message.</summary>
internal static class StatusMapper
{
    public static V1.StatusResponse ToMessage(PipelineStatus status, PauseControl pause, TimeProvider time)
    {
        var response = new V1.StatusResponse
        {
            Pipeline = new V1.PipelineStatus
            {
                Source = status.SourceName,
                Phase = PipelinePhaseOf(status),
                Reason = status.FailureReason ?? pause.Reason ?? string.Empty,
                AcknowledgedPosition = status.LastAcknowledged ?? string.Empty,
                LagBytes = (ulong)Math.Max(0, status.LagBytes),
                LagSeconds = status.LagSeconds,
                DegradedReason = status.DegradedReason ?? string.Empty,
            },
            ObservedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
        };
        foreach (var table in status.Tables)
        {
            response.Tables.Add(new V1.TableStatus
            {
                Schema = table.Table.Schema,
                Name = table.Table.Name,
                Index = table.Index,
                Phase = status.IsPaused && table.Phase != PipelinePhase.Failed ? V1.Phase.Paused : ToPhase(table.Phase),
                FailureReason = table.FailureReason ?? string.Empty,
                Snapshot = new V1.SnapshotProgress
                {
                    RowsDone = (ulong)table.SnapshotRowsDone,
                    RowsEstimated = (ulong)Math.Max(table.SnapshotRowsEstimated, table.SnapshotRowsDone),
                },
                Counters = new V1.TableCounters
                {
                    Received = (ulong)table.Received,
                    Indexed = (ulong)table.Indexed,
                    Deleted = (ulong)table.Deleted,
                    Superseded = (ulong)table.Superseded,
                    DeadLettered = (ulong)table.DeadLettered,
                },
            });
        }

        return response;
    }

    /// <summary>
    /// The pause switch wins while on. Once resumed, the pipeline's own phase says Paused until its dispatcher wakes
    /// for the next change (which can take a heartbeat): report what it resumes to, or a status read right after
    /// <c>Resume</c> would still say paused.
    /// </summary>
    private static V1.Phase PipelinePhaseOf(PipelineStatus status) => status.IsPaused
        ? V1.Phase.Paused
        : status.Phase == PipelinePhase.Paused
            ? status.Tables.Any(t => t.Phase == PipelinePhase.Snapshotting) ? V1.Phase.Snapshotting : V1.Phase.Streaming
            : ToPhase(status.Phase);

    private static V1.Phase ToPhase(PipelinePhase phase) => phase switch
    {
        PipelinePhase.Snapshotting => V1.Phase.Snapshotting,
        PipelinePhase.Streaming => V1.Phase.Streaming,
        PipelinePhase.Paused => V1.Phase.Paused,
        PipelinePhase.Failed => V1.Phase.Failed,
        _ => V1.Phase.Unspecified,
    };
}
