namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>The bulk actions. https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html</summary>
internal enum WriteOp
{
    Index,
    Create,
    Delete,
    Update,
}
