namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>What happened to one bulk item, classified for the writer.</summary>
public enum BulkItemStatus
{
    /// <summary>Written (created, updated) or deleted (also a delete of a missing document: the tombstone counts).</summary>
    Applied,

    /// <summary>409 version conflict: a newer write of the document is already there. Not an error.</summary>
    Superseded,

    /// <summary>429 or 5xx for this item: send it again.</summary>
    Retry,

    /// <summary>Any other failure (mapping error, bad id): a dead letter.</summary>
    Rejected,
}

/// <summary>One item's result.</summary>
public readonly record struct BulkItemOutcome(BulkItemStatus Status, int HttpStatus, string? ErrorType, string? ErrorReason);
