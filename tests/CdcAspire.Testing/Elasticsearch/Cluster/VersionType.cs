namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html#index-version-types</summary>
internal enum VersionType
{
    Internal,
    External,
    ExternalGte,
}
