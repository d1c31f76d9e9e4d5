namespace CdcAspire.Dlq.Replay;

/// <summary>What replaying one dead letter did (dlq.proto's <c>Outcome</c>).</summary>
public enum ReplayOutcome
{
    Indexed,
    Deleted,
    Superseded,
    Failed,

    /// <summary>Another replay holds this letter right now; nothing was done.</summary>
    Skipped,
}

/// <summary>The result for one dead letter.</summary>
/// <param name="Id">The dead letter.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="ErrorType">Failed only: the new error's type.</param>
/// <param name="ErrorReason">Failed only: the new error, with the fix.</param>
/// <param name="Archived">This failure was its last allowed attempt: it is archived now.</param>
public sealed record ReplayItem(long Id, ReplayOutcome Outcome, string? ErrorType = null, string? ErrorReason = null, bool Archived = false);
