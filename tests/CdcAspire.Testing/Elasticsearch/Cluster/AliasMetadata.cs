namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// One alias on one index. IsWriteIndex null means unset, which ES treats as the write index only when the alias
/// points at a single index. https://www.elastic.co/guide/en/elasticsearch/reference/current/aliases.html#write-index
/// </summary>
internal sealed record AliasMetadata(bool? IsWriteIndex);
