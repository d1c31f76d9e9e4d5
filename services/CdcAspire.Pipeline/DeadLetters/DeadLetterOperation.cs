namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>What the dead change would have done; stored as <c>index</c>, <c>delete</c>, <c>truncate</c> or <c>decode</c>.</summary>
public enum DeadLetterOperation
{
    /// <summary>Write a document (an insert, update or snapshot row).</summary>
    Index,

    /// <summary>Delete a document.</summary>
    Delete,

    /// <summary>Remove every document of a table.</summary>
    Truncate,

    /// <summary>A message that could not be read at all; its raw bytes are kept.</summary>
    Decode,
}
