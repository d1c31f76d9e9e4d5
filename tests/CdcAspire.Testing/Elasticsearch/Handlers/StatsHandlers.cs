using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Handlers;

/// <summary>
/// GET /_stats, GET /{target}/_stats and GET /{target}/_stats/{metric}: the index stats API, reduced to the docs and
/// indexing groups (what monitoring reads) inside the documented envelope: <c>_shards</c>, <c>_all</c> and
/// <c>indices.{name}</c>, each with <c>primaries</c> and <c>total</c>. Other metric groups are refused with a 400
/// naming them, as this server does for every feature it does not reproduce.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-stats.html
/// </summary>
internal sealed class StatsHandlers
{
    private static readonly string[] Reproduced = ["docs", "indexing"];

    // The metric names the API accepts (a name outside this list is an illegal_argument_exception in ES).
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "_all", "bulk", "completion", "dense_vector", "docs", "fielddata", "flush", "get", "indexing", "mappings",
        "merge", "query_cache", "recovery", "refresh", "request_cache", "search", "segments", "shard_stats",
        "sparse_vector", "store", "translog", "warmer",
    };

    private readonly ClusterState _cluster;

    public StatsHandlers(ClusterState cluster) => _cluster = cluster;

    public EsResponse Stats(EsRequest request, string? target, string? metric)
    {
        var groups = Groups(metric);
        var indices = Resolve(request, target);
        var now = _cluster.Now;
        var rows = new List<(EsIndex Index, long Docs, IndexingStats Indexing)>(indices.Count);
        foreach (var index in indices)
        {
            lock (index.Gate)
            {
                rows.Add((index, SearchableCount(index, now), Snapshot(index.Indexing)));
            }
        }

        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("_shards");
            w.WriteNumber("total", rows.Sum(r => 1 + r.Index.Settings.Replicas));
            w.WriteNumber("successful", rows.Count);
            w.WriteNumber("failed", 0);
            w.WriteEndObject();

            w.WriteStartObject("_all");
            WriteLevels(w, groups, rows.Sum(r => r.Docs), Sum(rows.Select(r => r.Indexing)));
            w.WriteEndObject();

            w.WriteStartObject("indices");
            foreach (var (index, docs, indexing) in rows)
            {
                w.WriteStartObject(index.Name);
                w.WriteString("uuid", index.Uuid);
                w.WriteString("health", index.Settings.Replicas > 0 ? "yellow" : "green");
                w.WriteString("status", "open");
                WriteLevels(w, groups, docs, indexing);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>The requested metric groups; none (or _all) means every group this server reproduces.</summary>
    private static string[] Groups(string? metric)
    {
        if (string.IsNullOrEmpty(metric) || metric == "_all")
        {
            return Reproduced;
        }

        var names = metric.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names)
        {
            if (!Known.Contains(name))
            {
                throw new EsException(EsErrors.IllegalArgument($"request [/_stats/{metric}] contains unrecognized metric: [{name}]"));
            }

            if (!Reproduced.Contains(name))
            {
                throw new EsException(EsErrors.IllegalArgument($"the Elasticsearch test server does not reproduce the [{name}] index stats; only docs and indexing"));
            }
        }

        return names;
    }

    // ignore_unavailable (default false) skips missing concrete names instead of answering 404;
    // allow_no_indices (default true) lets a wildcard that matches nothing answer an empty result.
    // https://www.elastic.co/guide/en/elasticsearch/reference/current/api-conventions.html#api-multi-index
    private List<EsIndex> Resolve(EsRequest request, string? target)
    {
        if (!request.QueryFlag("ignore_unavailable") || string.IsNullOrEmpty(target))
        {
            return _cluster.ResolveRead(target);
        }

        var result = new List<EsIndex>();
        foreach (var part in target.Split(','))
        {
            try
            {
                result.AddRange(_cluster.ResolveRead(part).Where(i => !result.Contains(i)));
            }
            catch (EsException)
            {
                // A missing index is left out, as ignore_unavailable asks.
            }
        }

        return result;
    }

    // docs.count counts what the last refresh made visible ("affected by refreshing the index"), so the scheduled
    // refresh is applied first, as for a search.
    private static long SearchableCount(EsIndex index, DateTimeOffset now)
    {
        index.ApplyScheduledRefresh(now);
        var entries = new List<KeyValuePair<string, DocEntry>>();
        index.CollectSearchable(entries);
        return entries.Count;
    }

    private static IndexingStats Snapshot(IndexingStats s) => Sum([s]);

    private static IndexingStats Sum(IEnumerable<IndexingStats> all)
    {
        var sum = new IndexingStats();
        foreach (var s in all)
        {
            sum.Add(s);
        }

        return sum;
    }

    // A single node holds only primaries (replicas stay unassigned), so "total" equals "primaries".
    private static void WriteLevels(Utf8JsonWriter w, string[] groups, long docs, IndexingStats indexing)
    {
        foreach (var level in (string[])["primaries", "total"])
        {
            w.WriteStartObject(level);
            if (groups.Contains("docs"))
            {
                w.WriteStartObject("docs");
                w.WriteNumber("count", docs);
                w.WriteNumber("deleted", 0);
                w.WriteEndObject();
            }

            if (groups.Contains("indexing"))
            {
                w.WriteStartObject("indexing");
                w.WriteNumber("index_total", indexing.IndexTotal);
                w.WriteNumber("index_time_in_millis", 0);
                w.WriteNumber("index_current", 0);
                w.WriteNumber("index_failed", indexing.IndexFailed);
                w.WriteNumber("delete_total", indexing.DeleteTotal);
                w.WriteNumber("delete_time_in_millis", 0);
                w.WriteNumber("delete_current", 0);
                w.WriteNumber("noop_update_total", indexing.NoopUpdateTotal);
                w.WriteBoolean("is_throttled", false);
                w.WriteNumber("throttle_time_in_millis", 0);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }
    }
}
