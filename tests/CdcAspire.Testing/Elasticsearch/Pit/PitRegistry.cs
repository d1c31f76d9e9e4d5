using System.Collections.Concurrent;
using System.Security.Cryptography;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Pit;

/// <summary>
/// Open points in time. keep_alive is required and each search that names the PIT extends it; an expired or closed
/// PIT answers 404 search_context_missing_exception.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/point-in-time-api.html#point-in-time-keep-alive
/// </summary>
internal sealed class PitRegistry
{
    private readonly ConcurrentDictionary<string, PointInTime> _open = new(StringComparer.Ordinal);

    public PointInTime Open(IReadOnlyList<EsIndex> indices, TimeSpan keepAlive, DateTimeOffset now)
    {
        Prune(now);
        var documents = new List<KeyValuePair<string, DocEntry>>[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            documents[i] = [];
            lock (indices[i].Gate)
            {
                indices[i].ApplyScheduledRefresh(now);
                indices[i].CollectSearchable(documents[i]);
            }
        }

        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var pit = new PointInTime(id, indices, documents, now + keepAlive);
        _open[id] = pit;
        return pit;
    }

    public PointInTime Get(string id, TimeSpan? keepAlive, DateTimeOffset now)
    {
        if (!_open.TryGetValue(id, out var pit) || pit.ExpiresAt < now)
        {
            _open.TryRemove(id, out _);
            throw new EsException(new EsError(404, "search_context_missing_exception", $"No search context found for id [{id}]"));
        }

        if (keepAlive is { } extend)
        {
            pit.ExpiresAt = now + extend;
        }

        return pit;
    }

    public bool Close(string id) => _open.TryRemove(id, out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, pit) in _open)
        {
            if (pit.ExpiresAt < now)
            {
                _open.TryRemove(id, out _);
            }
        }
    }
}
