namespace CdcAspire.Pipeline.Changes;

/// <summary>
/// A point in the source's stream that may be acknowledged once every change the source produced before it is in
/// Elasticsearch or in the dead-letter store. Each source subclasses it with what it acknowledges (an LSN, a set
/// of Kafka offsets). Checkpoints are acknowledged in the order the source produced them.
/// </summary>
public abstract record Checkpoint
{
    /// <summary>When the last transaction it covers committed, if known: for commit-to-acknowledged latency.</summary>
    public DateTimeOffset? CommitTime { get; init; }

    /// <summary>
    /// True when acknowledging <paramref name="later"/> also covers this checkpoint, so that when several settle
    /// at once only the later one needs acknowledging (a later LSN covers an earlier one). False by default: each
    /// checkpoint is then acknowledged in turn.
    /// </summary>
    public virtual bool IsCoveredBy(Checkpoint later) => false;
}
