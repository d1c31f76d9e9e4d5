namespace CdcAspire.Testing.Elasticsearch;

/// <summary>A document as the test server holds it (realtime, independent of refresh), for direct assertions.</summary>
/// <param name="Index">The concrete index name.</param>
/// <param name="Id">The document _id.</param>
/// <param name="Source">The _source JSON exactly as it was sent (or as an update merged it).</param>
/// <param name="Version">The _version.</param>
/// <param name="SeqNo">The _seq_no.</param>
/// <param name="PrimaryTerm">The _primary_term (always 1 on this single node).</param>
public sealed record StoredDocument(string Index, string Id, string Source, long Version, long SeqNo, long PrimaryTerm);
