namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// The version of a deleted document, kept for index.gc_deletes so later versioned writes still see it.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules.html#dynamic-index-settings (index.gc_deletes)
/// </summary>
internal readonly record struct Tombstone(long Version, long SeqNo, DateTimeOffset DeletedAt);
