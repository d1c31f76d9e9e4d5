namespace CdcAspire.Testing.Elasticsearch.Search;

internal enum SortValueKind
{
    Missing,
    Long,
    Double,
    String,
}
