namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-match-all-query.html</summary>
internal sealed class MatchAllQuery : Query
{
    private readonly bool _matches;

    public MatchAllQuery(bool matches) => _matches = matches;

    public override bool IsMatchAll => _matches;

    public override bool Matches(DocView doc) => _matches;
}
