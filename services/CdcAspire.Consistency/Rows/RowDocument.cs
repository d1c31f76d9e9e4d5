namespace CdcAspire.Consistency.Rows;

/// <summary>
/// A row as the sink would write it: its document id, key, the exact document bytes the mapping makes, and the
/// row version's <c>xmin</c> (changes with every update, so a re-check can tell a row that changed meanwhile).
/// </summary>
public sealed record RowDocument(string Id, string[] Key, ReadOnlyMemory<byte> Document, uint Xmin);
