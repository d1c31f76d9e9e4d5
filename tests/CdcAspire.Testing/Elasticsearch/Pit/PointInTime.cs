using System.Collections.Concurrent;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Search;

namespace CdcAspire.Testing.Elasticsearch.Pit;

/// <summary>
/// A point in time: the searchable view of its indices frozen when it was opened, so that pages read with
/// search_after see one consistent state however the indices change meanwhile.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/point-in-time-api.html
/// </summary>
internal sealed class PointInTime
{
    public PointInTime(string id, IReadOnlyList<EsIndex> indices, List<KeyValuePair<string, DocEntry>>[] documents, DateTimeOffset expiresAt)
    {
        Id = id;
        Indices = indices;
        Documents = documents;
        ExpiresAt = expiresAt;
    }

    public string Id { get; }

    public IReadOnlyList<EsIndex> Indices { get; }

    /// <summary>Per index (in target order): the documents searchable when the PIT was opened.</summary>
    public List<KeyValuePair<string, DocEntry>>[] Documents { get; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>
    /// Sorted hits per (query, sort) already computed: a server keeps its sorted segments between pages; the test
    /// server keeps the sorted list, so each page is a binary search instead of a full sort.
    /// </summary>
    public ConcurrentDictionary<string, List<Hit>> SortedHits { get; } = new(StringComparer.Ordinal);
}
