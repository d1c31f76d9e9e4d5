namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// A parsed query, evaluated as a filter (every hit scores 1.0: relevance scoring is not reproduced).
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl.html
/// </summary>
internal abstract class Query
{
    public virtual bool IsMatchAll => false;

    public abstract bool Matches(DocView doc);
}
