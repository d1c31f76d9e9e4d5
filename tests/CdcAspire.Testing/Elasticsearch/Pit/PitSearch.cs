using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Search;

namespace CdcAspire.Testing.Elasticsearch.Pit;

/// <summary>
/// A search over a point in time. Every PIT search gets the implicit tiebreaker <c>_shard_doc</c> (ascending, unique
/// per document) as its last sort value, so search_after pages never skip or repeat a hit; search_after then
/// carries one more value than the sort.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/paginate-search-results.html#search-after
/// </summary>
internal static class PitSearch
{
    public static (int Total, List<Hit> Page) Run(PointInTime pit, SearchSpec spec, Query query, DateTimeOffset now)
    {
        var sort = spec.Sort ?? [];
        sort.ForEach(s => s.Check(pit.Indices));
        var cacheKey = (spec.Query?.GetRawText() ?? "*") + "|" + string.Join(",", sort.Select(s => $"{s.Name}:{s.Descending}:{s.MissingFirst}"));
        var hits = pit.SortedHits.GetOrAdd(cacheKey, _ => Collect(pit, query, sort, now));
        var start = 0;
        if (spec.SearchAfter is { } after)
        {
            var values = after.EnumerateArray().ToList();
            if (values.Count != sort.Count + 1 && values.Count != sort.Count)
            {
                throw new EsException(EsErrors.IllegalArgument(
                    $"search_after has {values.Count} value(s) but sort has {sort.Count} (plus the implicit _shard_doc tiebreaker)."));
            }

            var keys = new SortValue[sort.Count + 1];
            for (var i = 0; i < sort.Count; i++)
            {
                keys[i] = sort[i].Parse(values[i], now);
            }

            keys[^1] = values.Count > sort.Count && values[^1].ValueKind == JsonValueKind.Number
                ? SortValue.OfLong(values[^1].GetInt64())
                : SortValue.OfLong(long.MaxValue);
            start = FirstAfter(hits, sort, keys);
        }

        // GetRange, not Skip: a page deep into a large PIT costs its own size, not its offset.
        var from = Math.Min(hits.Count, start + spec.From);
        return (hits.Count, hits.GetRange(from, Math.Min(spec.Size, hits.Count - from)));
    }

    private static List<Hit> Collect(PointInTime pit, Query query, List<SortField> sort, DateTimeOffset now)
    {
        var hits = new List<Hit>();
        for (var ordinal = 0; ordinal < pit.Indices.Count; ordinal++)
        {
            var index = pit.Indices[ordinal];
            foreach (var (id, entry) in pit.Documents[ordinal])
            {
                using var view = new DocView(index, id, entry);
                if (!query.IsMatchAll && !query.Matches(view))
                {
                    continue;
                }

                var keys = new SortValue[sort.Count + 1];
                for (var k = 0; k < sort.Count; k++)
                {
                    keys[k] = sort[k].Extract(view, now);
                }

                // _shard_doc: the shard (here: the index's position in the target) in the high bits, the document's
                // place in it in the low bits.
                keys[^1] = SortValue.OfLong(((long)ordinal << 40) | entry.SeqNo);
                hits.Add(new Hit(index, ordinal, id, entry, keys));
            }
        }

        hits.Sort((a, b) => Compare(sort, a.Keys!, b.Keys!));
        return hits;
    }

    private static int FirstAfter(List<Hit> hits, List<SortField> sort, SortValue[] after)
    {
        int lo = 0, hi = hits.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Compare(sort, hits[mid].Keys!, after) > 0)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    private static int Compare(List<SortField> sort, SortValue[] a, SortValue[] b)
    {
        for (var i = 0; i < sort.Count; i++)
        {
            var c = sort[i].Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a[^1].Long.CompareTo(b[^1].Long);
    }
}
