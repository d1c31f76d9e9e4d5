using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// Runs a query over the searchable (refreshed) view of each target index.
/// Near real-time search: https://www.elastic.co/guide/en/elasticsearch/reference/current/near-real-time.html
/// </summary>
internal static class SearchExecutor
{
    public static List<Hit> Collect(IReadOnlyList<EsIndex> indices, Query query, List<SortField>? sort, DateTimeOffset now)
    {
        var hits = new List<Hit>();
        var snapshot = new List<KeyValuePair<string, DocEntry>>();
        for (var ordinal = 0; ordinal < indices.Count; ordinal++)
        {
            var index = indices[ordinal];
            snapshot.Clear();
            lock (index.Gate)
            {
                index.ApplyScheduledRefresh(now);
                index.CollectSearchable(snapshot);
            }

            foreach (var (id, entry) in snapshot)
            {
                using var view = new DocView(index, id, entry);
                if (!query.IsMatchAll && !query.Matches(view))
                {
                    continue;
                }

                SortValue[]? keys = null;
                if (sort is not null)
                {
                    keys = new SortValue[sort.Count];
                    for (var k = 0; k < sort.Count; k++)
                    {
                        keys[k] = sort[k].Extract(view, now);
                    }
                }

                hits.Add(new Hit(index, ordinal, id, entry, keys));
            }
        }

        // Ties (and unsorted searches, where every score is equal) keep index order: target order, then _seq_no.
        hits.Sort((a, b) =>
        {
            if (sort is not null)
            {
                var c = CompareKeys(sort, a.Keys!, b.Keys!);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.IndexOrdinal != b.IndexOrdinal ? a.IndexOrdinal.CompareTo(b.IndexOrdinal) : a.Entry.SeqNo.CompareTo(b.Entry.SeqNo);
        });
        return hits;
    }

    /// <summary>Counts matches without collecting them (GET _count over large indices).</summary>
    public static long Count(IReadOnlyList<EsIndex> indices, Query query, DateTimeOffset now)
    {
        long count = 0;
        var snapshot = new List<KeyValuePair<string, DocEntry>>();
        foreach (var index in indices)
        {
            snapshot.Clear();
            lock (index.Gate)
            {
                index.ApplyScheduledRefresh(now);
                index.CollectSearchable(snapshot);
            }

            if (query.IsMatchAll)
            {
                count += snapshot.Count;
                continue;
            }

            foreach (var (id, entry) in snapshot)
            {
                using var view = new DocView(index, id, entry);
                count += query.Matches(view) ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>
    /// Keeps the hits strictly after the search_after values.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/paginate-search-results.html#search-after
    /// </summary>
    public static List<Hit> After(List<Hit> hits, List<SortField>? sort, JsonElement searchAfter, DateTimeOffset now)
    {
        if (sort is null)
        {
            throw new EsException(EsErrors.IllegalArgument("Sort must contain at least one field."));
        }

        var values = searchAfter.EnumerateArray().ToList();
        if (values.Count != sort.Count)
        {
            throw new EsException(EsErrors.IllegalArgument($"search_after has {values.Count} value(s) but sort has {sort.Count}."));
        }

        var after = new SortValue[sort.Count];
        for (var i = 0; i < sort.Count; i++)
        {
            after[i] = sort[i].Parse(values[i], now);
        }

        return hits.Where(h => CompareKeys(sort, h.Keys!, after) > 0).ToList();
    }

    private static int CompareKeys(List<SortField> sort, SortValue[] a, SortValue[] b)
    {
        for (var i = 0; i < sort.Count; i++)
        {
            var c = sort[i].Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }
}
