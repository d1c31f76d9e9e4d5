using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// Parses the query DSL subset the test server supports; anything else is a 400, never silently ignored.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl.html
/// </summary>
internal static class QueryParser
{
    public static Query Parse(JsonElement? query, DateTimeOffset now)
    {
        if (query is not { } q)
        {
            return new MatchAllQuery(true);
        }

        if (q.ValueKind != JsonValueKind.Object)
        {
            throw new EsException(EsErrors.Parsing("[_na] query malformed, must start with start_object"));
        }

        using var properties = q.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new EsException(EsErrors.Parsing("query malformed, empty clause found"));
        }

        var clause = properties.Current;
        if (properties.MoveNext())
        {
            throw new EsException(EsErrors.Parsing($"[{clause.Name}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]"));
        }

        var body = clause.Value;
        return clause.Name switch
        {
            "match_all" => new MatchAllQuery(true),
            "match_none" => new MatchAllQuery(false),
            "term" => Field(body, "term", (field, value) => new TermsQuery(field, [Unwrap(value, "value")], now)),
            "terms" => Field(body, "terms", (field, value) => new TermsQuery(field, [.. value.EnumerateArray()], now)),
            "ids" => new TermsQuery("_id", [.. body.GetProperty("values").EnumerateArray()], now),
            "exists" => new ExistsQuery(body.GetProperty("field").GetString()!),
            "match" => Field(body, "match", (field, value) => new MatchQuery(field, Unwrap(value, "query"),
                value.ValueKind == JsonValueKind.Object && value.TryGetProperty("operator", out var op)
                    && string.Equals(op.GetString(), "and", StringComparison.OrdinalIgnoreCase), now)),
            "range" => Field(body, "range", (field, value) => Range(field, value, now)),
            "bool" => Bool(body, now),
            "constant_score" => Parse(body.GetProperty("filter"), now),
            _ => throw new EsException(EsErrors.Parsing($"unknown query [{clause.Name}]")),
        };
    }

    private static Query Field(JsonElement body, string name, Func<string, JsonElement, Query> create)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name is not ("boost" or "_name"))
            {
                return create(property.Name, property.Value);
            }
        }

        throw new EsException(EsErrors.Parsing($"[{name}] query doesn't support multiple fields, or no field was given"));
    }

    private static JsonElement Unwrap(JsonElement value, string key) =>
        value.ValueKind == JsonValueKind.Object ? value.GetProperty(key) : value;

    private static RangeQuery Range(string field, JsonElement spec, DateTimeOffset now)
    {
        var bounds = new List<(JsonElement, bool, bool)>();
        EsDateFormat? format = null;
        foreach (var property in spec.EnumerateObject())
        {
            switch (property.Name)
            {
                case "gte": bounds.Add((property.Value, true, true)); break;
                case "gt": bounds.Add((property.Value, true, false)); break;
                case "lte": bounds.Add((property.Value, false, true)); break;
                case "lt": bounds.Add((property.Value, false, false)); break;
                case "format": format = EsDateFormat.Parse(property.Value.GetString()!); break;
                case "boost" or "_name" or "relation": break;
                case "time_zone": throw new EsException(EsErrors.NotSupported("[range] time_zone"));
                default: throw new EsException(EsErrors.Parsing($"[range] query does not support [{property.Name}]"));
            }
        }

        return new RangeQuery(field, [.. bounds], format, now);
    }

    private static BoolQuery Bool(JsonElement body, DateTimeOffset now)
    {
        List<Query> required = [], excluded = [], should = [];
        string? minimumShouldMatch = null;
        foreach (var property in body.EnumerateObject())
        {
            var into = property.Name switch
            {
                "must" or "filter" => required,
                "must_not" => excluded,
                "should" => should,
                _ => null,
            };
            if (into is not null)
            {
                if (property.Value.ValueKind == JsonValueKind.Array)
                {
                    into.AddRange(property.Value.EnumerateArray().Select(q => Parse(q, now)));
                }
                else
                {
                    into.Add(Parse(property.Value, now));
                }
            }
            else if (property.Name == "minimum_should_match")
            {
                minimumShouldMatch = FieldValues.AsString(property.Value);
            }
            else if (property.Name is not ("boost" or "_name"))
            {
                throw new EsException(EsErrors.Parsing($"[bool] query does not support [{property.Name}]"));
            }
        }

        return new BoolQuery([.. required], [.. excluded], [.. should], minimumShouldMatch);
    }
}
