using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Handlers;

/// <summary>GET / and GET /_cluster/health of a single-node 8.17.3 cluster.</summary>
internal sealed class InfoHandlers
{
    public const string ClusterName = "cdc-aspire-test";
    private const string NodeName = "es-test-node";
    private readonly ClusterState _cluster;
    private readonly string _clusterUuid = Guid.NewGuid().ToString("N")[..22];

    public InfoHandlers(ClusterState cluster) => _cluster = cluster;

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-root.html
    public EsResponse Root() => EsResponse.Json(200, w =>
    {
        w.WriteStartObject();
        w.WriteString("name", NodeName);
        w.WriteString("cluster_name", ClusterName);
        w.WriteString("cluster_uuid", _clusterUuid);
        w.WriteStartObject("version");
        w.WriteString("number", "8.17.3");
        w.WriteString("build_flavor", "default");
        w.WriteString("build_type", "docker");
        w.WriteString("build_hash", "a091390de485bd4b127884f7e565c0cad59b10d2");
        w.WriteString("build_date", "2025-02-28T10:07:26.089129809Z");
        w.WriteBoolean("build_snapshot", false);
        w.WriteString("lucene_version", "9.12.0");
        w.WriteString("minimum_wire_compatibility_version", "7.17.0");
        w.WriteString("minimum_index_compatibility_version", "7.0.0");
        w.WriteEndObject();
        w.WriteString("tagline", "You Know, for Search");
        w.WriteEndObject();
    });

    /// <summary>
    /// Replicas can never be assigned on one node, so an index with number_of_replicas > 0 makes the cluster yellow,
    /// exactly as on a real single-node cluster; indices created with 0 replicas keep it green.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/cluster-health.html
    /// </summary>
    public EsResponse Health(string? target)
    {
        var indices = _cluster.ResolveRead(target);
        var primaries = indices.Count;
        var unassigned = indices.Sum(i => i.Settings.Replicas);
        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteString("cluster_name", ClusterName);
            w.WriteString("status", unassigned > 0 ? "yellow" : "green");
            w.WriteBoolean("timed_out", false);
            w.WriteNumber("number_of_nodes", 1);
            w.WriteNumber("number_of_data_nodes", 1);
            w.WriteNumber("active_primary_shards", primaries);
            w.WriteNumber("active_shards", primaries);
            w.WriteNumber("relocating_shards", 0);
            w.WriteNumber("initializing_shards", 0);
            w.WriteNumber("unassigned_shards", unassigned);
            w.WriteNumber("unassigned_primary_shards", 0);
            w.WriteNumber("delayed_unassigned_shards", 0);
            w.WriteNumber("number_of_pending_tasks", 0);
            w.WriteNumber("number_of_in_flight_fetch", 0);
            w.WriteNumber("task_max_waiting_in_queue_millis", 0);
            w.WriteNumber("active_shards_percent_as_number", primaries + unassigned == 0 ? 100.0 : 100.0 * primaries / (primaries + unassigned));
            w.WriteEndObject();
        });
    }
}
