using System.Text.Json;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// match: on text fields, any (operator or) or every (operator and) token of the query text; on other fields, an
/// exact term. https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-match-query.html
/// </summary>
internal sealed class MatchQuery : Query
{
    private readonly FieldRef _field;
    private readonly JsonElement _value;
    private readonly bool _and;
    private readonly DateTimeOffset _now;
    private readonly List<JsonElement> _scratch = [];

    public MatchQuery(string field, JsonElement value, bool and, DateTimeOffset now)
    {
        _field = new FieldRef(field);
        _value = value;
        _and = and;
        _now = now;
    }

    public override bool Matches(DocView doc)
    {
        if (_field.Resolve(doc.Index) is not { } field)
        {
            return false;
        }

        doc.Values(field, _scratch);
        if (field.Kind != FieldKind.Text)
        {
            return _scratch.Any(v => FieldValues.TermEquals(field, v, _value, _now));
        }

        var wanted = FieldValues.Tokens(FieldValues.AsString(_value) ?? "");
        var present = new HashSet<string>(_scratch.SelectMany(v => FieldValues.Tokens(FieldValues.AsString(v) ?? "")));
        return wanted.Count > 0 && (_and ? wanted.All(present.Contains) : wanted.Any(present.Contains));
    }
}
