namespace CdcAspire.Pipeline.Refresh;

/// <summary>What re-writing one document from its row's current state did.</summary>
public enum RefreshOutcome
{
    /// <summary>The row's current state was written.</summary>
    Indexed,

    /// <summary>The row is gone: the document was deleted (or was already absent; the tombstone counts).</summary>
    Deleted,

    /// <summary>Elasticsearch already held a newer version (409): a streamed change is newer and stays.</summary>
    Superseded,

    /// <summary>Refused: by the mapping, by Elasticsearch (per item), or a transient failure the caller may retry.</summary>
    Failed,
}

/// <summary>The result for one document id.</summary>
/// <param name="DocumentId">The Elasticsearch <c>_id</c>.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="ErrorType">Failed only: Elasticsearch's <c>error.type</c>, or ours (e.g. <c>invalid_id</c>).</param>
/// <param name="ErrorReason">Failed only: a readable reason.</param>
/// <param name="Transient">Failed only: a 429/5xx the caller may retry later.</param>
public sealed record RefreshResult(
    string DocumentId, RefreshOutcome Outcome, string? ErrorType = null, string? ErrorReason = null, bool Transient = false);
