namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// One action of POST /_aliases. https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-aliases.html
/// </summary>
internal sealed record AliasAction(string Kind, IReadOnlyList<string> Indices, IReadOnlyList<string> Aliases, bool? IsWriteIndex);
