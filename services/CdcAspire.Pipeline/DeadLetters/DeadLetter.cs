using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Elasticsearch;

namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>
/// A change that could not be applied to Elasticsearch and must not be lost: kept with everything needed to
/// understand it and replay it. Made by one of the three factories, one per way a change dies:
/// <see cref="Unmappable"/> (the mapper refused it), <see cref="Rejected"/> (Elasticsearch refused it),
/// <see cref="Undecodable"/> (the message could not be read).
/// </summary>
/// <param name="Source">The topology that produced it.</param>
/// <param name="Table">Schema-qualified source table, if known.</param>
/// <param name="Index">Target index, if the change got that far.</param>
/// <param name="DocumentId">Target document id, if known.</param>
/// <param name="Operation">What the change would have done.</param>
/// <param name="Position">The change's position (as <see cref="Changes.Position.ToString"/>, or topic/partition/offset).</param>
/// <param name="Version">The external version it carried, if any.</param>
/// <param name="Document">The JSON document that was rejected, if any.</param>
/// <param name="Raw">The raw message bytes for undecodable input, if any.</param>
/// <param name="ErrorType">A short machine-readable reason, e.g. Elasticsearch's <c>error.type</c>.</param>
/// <param name="ErrorReason">A readable reason with the fix where one is known.</param>
public sealed record DeadLetter(
    DeadLetterSource Source,
    string? Table,
    string? Index,
    string? DocumentId,
    DeadLetterOperation Operation,
    string Position,
    long? Version,
    string? Document,
    byte[]? Raw,
    string ErrorType,
    string ErrorReason)
{
    /// <summary>
    /// A change the mapper could not turn into a write (unknown table, unresolved TOAST value, bad key). Its version is
    /// the one the write would have carried, so a replay can tell whether the stream has already moved past it.
    /// </summary>
    public static DeadLetter Unmappable(
        DeadLetterSource source, ChangeEvent change, string? index, string? documentId, string errorType, string errorReason)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(source, change.Table.ToString(), index, documentId, DeadLetterNames.OperationOf(change.Kind),
            change.Position.ToString(), change.Position.ToExternalVersion(), null, null, errorType, errorReason);
    }

    /// <summary>A write Elasticsearch refused (per item or for the whole request), with the document it carried.</summary>
    public static DeadLetter Rejected(DeadLetterSource source, IndexAction action, string errorType, string errorReason)
    {
        ArgumentNullException.ThrowIfNull(action);
        var isIndex = action.Operation == WriteOperation.Index;
        return new(source, action.Table.ToString(), action.Index, action.Id,
            isIndex ? DeadLetterOperation.Index : DeadLetterOperation.Delete, action.Position.ToString(), action.Version,
            isIndex ? System.Text.Encoding.UTF8.GetString(action.Document.Span) : null, null, errorType, errorReason);
    }

    /// <summary>A message that could not be decoded; its raw bytes are kept for a person (or a fixed decoder) to read.</summary>
    public static DeadLetter Undecodable(
        DeadLetterSource source, string? table, string position, byte[]? raw, string errorType, string errorReason) =>
        new(source, table, null, null, DeadLetterOperation.Decode, position, null, null, raw, errorType, errorReason);
}
