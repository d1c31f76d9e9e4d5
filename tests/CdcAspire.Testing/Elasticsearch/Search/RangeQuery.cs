using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-range-query.html</summary>
internal sealed class RangeQuery : Query
{
    private readonly FieldRef _field;
    private readonly (JsonElement Bound, bool Lower, bool Inclusive)[] _bounds;
    private readonly EsDateFormat? _format;
    private readonly DateTimeOffset _now;
    private readonly List<JsonElement> _scratch = [];

    public RangeQuery(string field, (JsonElement, bool, bool)[] bounds, EsDateFormat? format, DateTimeOffset now)
    {
        _field = new FieldRef(field);
        _bounds = bounds;
        _format = format;
        _now = now;
    }

    public override bool Matches(DocView doc)
    {
        if (_field.Resolve(doc.Index) is not { } field)
        {
            return false;
        }

        doc.Values(field, _scratch);
        foreach (var value in _scratch)
        {
            if (InRange(field, value))
            {
                return true;
            }
        }

        return false;
    }

    private bool InRange(ResolvedField field, JsonElement value)
    {
        foreach (var (bound, lower, inclusive) in _bounds)
        {
            if (bound.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (FieldValues.Compare(field, value, bound, _format, _now) is not { } c)
            {
                return false;
            }

            var ok = lower ? (inclusive ? c >= 0 : c > 0) : (inclusive ? c <= 0 : c < 0);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
