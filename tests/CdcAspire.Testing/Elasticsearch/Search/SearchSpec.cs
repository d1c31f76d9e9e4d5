using System.Globalization;
using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// The parts of a search request body and query string the test server supports.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/search-search.html
/// </summary>
internal sealed class SearchSpec
{
    public JsonElement? Query { get; private set; }

    public int Size { get; private set; } = 10;

    public int From { get; private set; }

    public List<SortField>? Sort { get; private set; }

    public JsonElement? SearchAfter { get; private set; }

    public SourceFilter Source { get; private set; } = SourceFilter.All;

    /// <summary>Count hits exactly up to this number (default 10000); null = do not report a total.</summary>
    public int? TrackTotalHits { get; private set; } = 10_000;

    public bool Version { get; private set; }

    public bool SeqNoPrimaryTerm { get; private set; }

    public bool TotalAsInt { get; private set; }

    /// <summary>The point in time to search (<c>"pit": {"id": .., "keep_alive": ..}</c>); the request then names no index.</summary>
    public string? PitId { get; private set; }

    public TimeSpan? PitKeepAlive { get; private set; }

    public static SearchSpec Parse(JsonDocument? body, EsRequest request)
    {
        var spec = new SearchSpec();
        if (body is not null)
        {
            foreach (var property in body.RootElement.EnumerateObject())
            {
                spec.Apply(property);
            }
        }

        spec.Size = request.QueryInt("size") ?? spec.Size;
        spec.From = request.QueryInt("from") ?? spec.From;
        if (request.Query("sort") is { } sort)
        {
            spec.Sort = [.. sort.Split(',').Select(s => s.Split(':')).Select(p => Field(p[0], p.Length > 1 ? p[1] : null, null, null))];
        }

        if (request.Query("_source") is not null || request.Query("_source_includes") is not null || request.Query("_source_excludes") is not null)
        {
            spec.Source = SourceFilter.FromQuery(request.Query("_source"), request.Query("_source_includes"), request.Query("_source_excludes"));
        }

        if (request.Query("track_total_hits") is { } track)
        {
            spec.TrackTotalHits = track switch { "true" => int.MaxValue, "false" => null, _ => int.Parse(track, CultureInfo.InvariantCulture) };
        }

        if (request.Query("q") is not null)
        {
            throw new EsException(EsErrors.NotSupported("The [q] query string parameter"));
        }

        spec.Version |= request.QueryFlag("version");
        spec.SeqNoPrimaryTerm |= request.QueryFlag("seq_no_primary_term");
        spec.TotalAsInt = request.QueryFlag("rest_total_hits_as_int");
        return spec;
    }

    private void Apply(JsonProperty property)
    {
        var value = property.Value;
        switch (property.Name)
        {
            case "query": Query = value; break;
            case "size": Size = value.GetInt32(); break;
            case "from": From = value.GetInt32(); break;
            case "sort": Sort = ParseSort(value); break;
            case "search_after": SearchAfter = value; break;
            case "pit":
                PitId = value.GetProperty("id").GetString();
                PitKeepAlive = value.TryGetProperty("keep_alive", out var keepAlive)
                    ? Cluster.TimeValue.Parse("keep_alive", keepAlive.GetString()!)
                    : null;
                break;
            case "_source": Source = SourceFilter.Parse(value); break;
            case "version": Version = value.GetBoolean(); break;
            case "seq_no_primary_term": SeqNoPrimaryTerm = value.GetBoolean(); break;
            case "track_total_hits":
                TrackTotalHits = value.ValueKind switch
                {
                    JsonValueKind.True => int.MaxValue,
                    JsonValueKind.False => null,
                    _ => value.GetInt32(),
                };
                break;
            case "timeout" or "track_scores" or "min_score" or "stored_fields" or "explain" or "profile":
                break;
            case "aggs" or "aggregations" or "highlight" or "collapse" or "fields" or "docvalue_fields"
                or "suggest" or "script_fields" or "runtime_mappings" or "knn" or "rescore" or "post_filter":
                throw new EsException(EsErrors.NotSupported($"[{property.Name}]"));
            default:
                throw new EsException(EsErrors.Parsing($"Unknown key for a {TokenName(value)} in [{property.Name}]."));
        }
    }

    private static List<SortField> ParseSort(JsonElement value)
    {
        var elements = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
        var result = new List<SortField>();
        foreach (var element in elements)
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                result.Add(Field(element.GetString()!, null, null, null));
                continue;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    result.Add(Field(property.Name, property.Value.GetString(), null, null));
                }
                else
                {
                    var options = property.Value;
                    result.Add(Field(
                        property.Name,
                        options.TryGetProperty("order", out var order) ? order.GetString() : null,
                        options.TryGetProperty("missing", out var missing) ? FieldValues.AsString(missing) : null,
                        options.TryGetProperty("unmapped_type", out var unmapped) ? unmapped.GetString() : null));
                }
            }
        }

        return result;
    }

    private static SortField Field(string name, string? order, string? missing, string? unmappedType)
    {
        if (missing is not (null or "_last" or "_first"))
        {
            throw new EsException(EsErrors.NotSupported("A custom [missing] sort value"));
        }

        // _score sorts descending by default, everything else ascending.
        var descending = order is null ? name == "_score" : order == "desc";
        return new SortField(name, descending, missing == "_first", unmappedType);
    }

    private static string TokenName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "START_OBJECT",
        JsonValueKind.Array => "START_ARRAY",
        _ => "VALUE",
    };
}
