namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>
/// The <c>dynamic</c> mapping parameter, inherited by inner objects.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic.html
/// </summary>
internal enum DynamicMode
{
    True,
    False,
    Strict,
    Runtime,
}
