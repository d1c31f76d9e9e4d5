namespace CdcAspire.Pipeline.Status;

/// <summary>Where the pipeline (or one table) stands.</summary>
public enum PipelinePhase
{
    Starting,
    Snapshotting,
    Streaming,
    Paused,
    Failed,
}
