namespace CdcAspire.Consistency.Documents;

/// <summary>A document as Elasticsearch holds it: id, _source bytes exactly as stored, and _version (0 when not asked).</summary>
public sealed record IndexedDocument(string Id, ReadOnlyMemory<byte> Source, long Version);
