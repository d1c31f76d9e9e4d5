namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>
/// A change that could not be applied to Elasticsearch and must not be lost: kept with everything needed to
/// understand it and replay it.
/// </summary>
/// <param name="Source">The source that produced it (<c>pgoutput</c>, <c>kafka</c>).</param>
/// <param name="Table">Schema-qualified source table, if known.</param>
/// <param name="Index">Target index, if the change got that far.</param>
/// <param name="DocumentId">Target document id, if known.</param>
/// <param name="Operation">index, delete, truncate, or decode for a message that could not be read.</param>
/// <param name="Position">The change's position (as <see cref="Changes.Position.ToString"/>, or topic/partition/offset).</param>
/// <param name="Version">The external version it carried, if any.</param>
/// <param name="Document">The JSON document that was rejected, if any.</param>
/// <param name="Raw">The raw message bytes for undecodable input, if any.</param>
/// <param name="ErrorType">A short machine-readable reason, e.g. Elasticsearch's <c>error.type</c>.</param>
/// <param name="ErrorReason">A readable reason with the fix where one is known.</param>
public sealed record DeadLetter(
    string Source,
    string? Table,
    string? Index,
    string? DocumentId,
    string Operation,
    string Position,
    long? Version,
    string? Document,
    byte[]? Raw,
    string ErrorType,
    string ErrorReason);
