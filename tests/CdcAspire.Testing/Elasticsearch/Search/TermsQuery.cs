using System.Text.Json;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// term, terms and ids: the field has at least one value equal to one of the given values.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-terms-query.html
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-ids-query.html
/// </summary>
internal sealed class TermsQuery : Query
{
    private readonly FieldRef _field;
    private readonly JsonElement[] _values;
    private readonly DateTimeOffset _now;
    private readonly List<JsonElement> _scratch = [];

    public TermsQuery(string field, JsonElement[] values, DateTimeOffset now)
    {
        _field = new FieldRef(field);
        _values = values;
        _now = now;
    }

    public override bool Matches(DocView doc)
    {
        if (_field.Name is "_id" or "_index")
        {
            var actual = _field.Name == "_id" ? doc.Id : doc.Index.Name;
            return _values.Any(v => FieldValues.AsString(v) == actual);
        }

        if (_field.Resolve(doc.Index) is not { } field)
        {
            return false;
        }

        doc.Values(field, _scratch);
        foreach (var value in _scratch)
        {
            foreach (var wanted in _values)
            {
                if (FieldValues.TermEquals(field, value, wanted, _now))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
