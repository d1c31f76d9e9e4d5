namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>Where a dead letter stands; stored in <c>dead_letters.status</c> as the lower-case name.</summary>
public enum DeadLetterState
{
    /// <summary>Waiting for the automatic retry (transient errors) or for a person (permanent errors).</summary>
    Pending,

    /// <summary>Replayed: indexed, deleted or superseded by a newer change.</summary>
    Resolved,

    /// <summary>Discarded by a person, with a reason in the history.</summary>
    Discarded,

    /// <summary>Failed too many replays; kept and listable, no longer retried automatically.</summary>
    Archived,
}
