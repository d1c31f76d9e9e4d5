using System.Diagnostics;
using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Pit;
using CdcAspire.Testing.Elasticsearch.Search;

namespace CdcAspire.Testing.Elasticsearch.Handlers;

/// <summary>
/// _search and _count over the searchable view: documents become visible at the next refresh, never earlier.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/search-search.html
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/search-count.html
/// </summary>
internal sealed class SearchHandlers
{
    private readonly ClusterState _cluster;
    private readonly PitRegistry _pits;

    public SearchHandlers(ClusterState cluster, PitRegistry pits)
    {
        _cluster = cluster;
        _pits = pits;
    }

    public EsResponse Search(EsRequest request, string? target)
    {
        var started = Stopwatch.GetTimestamp();
        using var body = request.ParseJsonBody();
        var spec = SearchSpec.Parse(body, request);
        var now = _cluster.Now;
        if (spec.PitId is { } pitId)
        {
            return SearchPit(spec, target, pitId, now, started);
        }

        var indices = _cluster.ResolveRead(target);
        var query = QueryParser.Parse(spec.Query, now);
        spec.Sort?.ForEach(s => s.Check(indices));
        var hits = SearchExecutor.Collect(indices, query, spec.Sort, now);
        var total = hits.Count;
        if (spec.SearchAfter is { } after)
        {
            hits = SearchExecutor.After(hits, spec.Sort, after, now);
        }

        var page = hits.Skip(spec.From).Take(spec.Size).ToList();
        var took = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return EsResponse.Json(200, w => WriteSearch(w, spec, indices.Count, total, page, took, null), 256 + (page.Count * 256));
    }

    /// <summary>https://www.elastic.co/guide/en/elasticsearch/reference/current/point-in-time-api.html</summary>
    private EsResponse SearchPit(SearchSpec spec, string? target, string pitId, DateTimeOffset now, long started)
    {
        if (target is not null)
        {
            throw new EsException(EsErrors.Validation(["[indices] cannot be used with point in time. Do not specify any index with point in time."]));
        }

        var pit = _pits.Get(pitId, spec.PitKeepAlive, now);
        var (total, page) = PitSearch.Run(pit, spec, QueryParser.Parse(spec.Query, now), now);
        var took = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return EsResponse.Json(200, w => WriteSearch(w, spec, pit.Indices.Count, total, page, took, pit.Id), 256 + (page.Count * 256));
    }

    public EsResponse Count(EsRequest request, string? target)
    {
        var indices = _cluster.ResolveRead(target);
        using var body = request.ParseJsonBody();
        JsonElement? queryElement = null;
        if (body is not null)
        {
            foreach (var property in body.RootElement.EnumerateObject())
            {
                queryElement = property.Name == "query"
                    ? property.Value
                    : throw new EsException(EsErrors.Parsing($"request does not support [{property.Name}]"));
            }
        }

        var count = SearchExecutor.Count(indices, QueryParser.Parse(queryElement, _cluster.Now), _cluster.Now);
        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", count);
            WriteShards(w, indices.Count);
            w.WriteEndObject();
        });
    }

    public static void WriteShards(Utf8JsonWriter w, int shards)
    {
        w.WriteStartObject("_shards");
        w.WriteNumber("total", shards);
        w.WriteNumber("successful", shards);
        w.WriteNumber("skipped", 0);
        w.WriteNumber("failed", 0);
        w.WriteEndObject();
    }

    private static void WriteSearch(Utf8JsonWriter w, SearchSpec spec, int shards, int total, List<Hit> page, long took, string? pitId)
    {
        var sorted = spec.Sort is not null || pitId is not null;
        w.WriteStartObject();
        if (pitId is not null)
        {
            w.WriteString("pit_id", pitId);
        }

        w.WriteNumber("took", took);
        w.WriteBoolean("timed_out", false);
        WriteShards(w, shards);
        w.WriteStartObject("hits");
        if (spec.TrackTotalHits is { } limit)
        {
            // Totals are exact up to track_total_hits (10,000 by default), then a lower bound.
            // https://www.elastic.co/guide/en/elasticsearch/reference/current/search-your-data.html#track-total-hits
            if (spec.TotalAsInt)
            {
                w.WriteNumber("total", total);
            }
            else
            {
                w.WriteStartObject("total");
                w.WriteNumber("value", Math.Min(total, limit));
                w.WriteString("relation", total > limit ? "gte" : "eq");
                w.WriteEndObject();
            }
        }

        if (sorted || page.Count == 0)
        {
            w.WriteNull("max_score");
        }
        else
        {
            w.WriteNumber("max_score", 1.0);
        }

        w.WriteStartArray("hits");
        foreach (var hit in page)
        {
            w.WriteStartObject();
            w.WriteString("_index", hit.Index.Name);
            w.WriteString("_id", hit.Id);
            if (spec.Version)
            {
                w.WriteNumber("_version", hit.Entry.Version);
            }

            if (spec.SeqNoPrimaryTerm)
            {
                w.WriteNumber("_seq_no", hit.Entry.SeqNo);
                w.WriteNumber("_primary_term", EsIndex.PrimaryTerm);
            }

            if (sorted)
            {
                w.WriteNull("_score");
            }
            else
            {
                w.WriteNumber("_score", 1.0);
            }

            if (spec.Source.Enabled)
            {
                w.WritePropertyName("_source");
                spec.Source.Write(w, hit.Entry);
            }

            if (hit.Keys is not null)
            {
                w.WriteStartArray("sort");
                foreach (var key in hit.Keys)
                {
                    key.Write(w);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
