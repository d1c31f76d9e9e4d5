using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>One document write, ready for the bulk API.</summary>
/// <param name="Operation">Index or delete.</param>
/// <param name="Index">Target index (or write alias).</param>
/// <param name="Id">Document id, from the row's key.</param>
/// <param name="Version">External version, from the change's position.</param>
/// <param name="Document">The document as UTF-8 JSON (empty for a delete).</param>
/// <param name="Table">The source table, for dead letters and per-table figures.</param>
/// <param name="Position">The change's position, for dead letters (the version derives from it). Only these two
/// are kept of the change: a second copy of every buffered row would escape the writer's byte budget.</param>
public sealed record IndexAction(
    WriteOperation Operation,
    string Index,
    string Id,
    long Version,
    ReadOnlyMemory<byte> Document,
    TableId Table,
    Position Position)
{
    /// <summary>Approximate bytes this action adds to a bulk body, for batching by size.</summary>
    public int EstimatedBytes => Document.Length + Index.Length + Id.Length + 96;
}
