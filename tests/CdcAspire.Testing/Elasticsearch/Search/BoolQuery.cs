namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// bool: all must and filter clauses, no must_not clause, and at least minimum_should_match should clauses, which
/// defaults to 1 when there is no must or filter clause and to 0 otherwise.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-bool-query.html
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-minimum-should-match.html
/// </summary>
internal sealed class BoolQuery : Query
{
    private readonly Query[] _required;
    private readonly Query[] _excluded;
    private readonly Query[] _should;
    private readonly int _minimumShouldMatch;

    public BoolQuery(Query[] required, Query[] excluded, Query[] should, string? minimumShouldMatch)
    {
        _required = required;
        _excluded = excluded;
        _should = should;
        _minimumShouldMatch = minimumShouldMatch is null
            ? (required.Length == 0 && should.Length > 0 ? 1 : 0)
            : Resolve(minimumShouldMatch, should.Length);
    }

    public override bool Matches(DocView doc)
    {
        foreach (var query in _required)
        {
            if (!query.Matches(doc))
            {
                return false;
            }
        }

        foreach (var query in _excluded)
        {
            if (query.Matches(doc))
            {
                return false;
            }
        }

        if (_minimumShouldMatch == 0)
        {
            return true;
        }

        var matched = 0;
        foreach (var query in _should)
        {
            if (query.Matches(doc) && ++matched >= _minimumShouldMatch)
            {
                return true;
            }
        }

        return false;
    }

    // Integers, negative integers ("all but n") and percentages (rounded down).
    private static int Resolve(string text, int clauses)
    {
        var percent = text.EndsWith('%');
        var number = int.Parse(percent ? text[..^1] : text, System.Globalization.CultureInfo.InvariantCulture);
        var count = percent ? clauses * number / 100 : number;
        return Math.Clamp(count < 0 ? clauses + count : count, 0, clauses);
    }
}
