using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Pit;

namespace CdcAspire.Testing.Elasticsearch.Handlers;

/// <summary>
/// POST /{index}/_pit?keep_alive=.. and DELETE /_pit.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/point-in-time-api.html
/// </summary>
internal sealed class PitHandlers
{
    private readonly ClusterState _cluster;
    private readonly PitRegistry _registry;

    public PitHandlers(ClusterState cluster, PitRegistry registry)
    {
        _cluster = cluster;
        _registry = registry;
    }

    public EsResponse Open(EsRequest request, string target)
    {
        var keepAlive = request.Query("keep_alive") is { } text
            ? TimeValue.Parse("keep_alive", text) ?? TimeSpan.Zero
            : throw new EsException(EsErrors.Validation(["[keep_alive] is not specified"]));
        var indices = _cluster.ResolveRead(target);
        var pit = _registry.Open(indices, keepAlive, _cluster.Now);
        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", pit.Id);
            SearchHandlers.WriteShards(w, indices.Count);
            w.WriteEndObject();
        });
    }

    public EsResponse Close(EsRequest request)
    {
        using var body = request.ParseJsonBody() ?? throw new EsException(EsErrors.Validation(["no point-in-time id is specified"]));
        var id = body.RootElement.TryGetProperty("id", out var value) ? value.GetString() : null;
        var freed = id is not null && _registry.Close(id);
        // An unknown or expired id answers 404 with num_freed 0.
        return EsResponse.Json(freed ? 200 : 404, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("succeeded", true);
            w.WriteNumber("num_freed", freed ? 1 : 0);
            w.WriteEndObject();
        });
    }
}
