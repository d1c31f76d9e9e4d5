using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Faults;

/// <summary>
/// The whole-request error bodies an Elasticsearch cluster (or the proxy in front of it) sends.
/// 429: https://www.elastic.co/guide/en/elasticsearch/reference/current/high-jvm-memory-pressure.html (rejected requests)
/// 503: https://www.elastic.co/guide/en/elasticsearch/reference/current/misc-cluster-settings.html (cluster blocks)
/// </summary>
internal static class RequestFaults
{
    public static EsResponse Response(int status) => status switch
    {
        429 => EsResponse.Error(new EsError(429, "es_rejected_execution_exception",
            "rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1048576, max_coordinating_and_primary_bytes=107374182]")),
        503 => EsResponse.Error(new EsError(503, "cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/2/no master];")),
        500 => EsResponse.Error(new EsError(500, "exception", "injected internal server error")),

        // Elasticsearch itself never answers 502/504: a load balancer or proxy in front of it does, with HTML.
        502 or 504 => EsResponse.Text(status, $"<html><head><title>{status} {Title(status)}</title></head><body><center><h1>{status} {Title(status)}</h1></center></body></html>", "text/html"),
        _ => EsResponse.Error(new EsError(status, "status_exception", $"injected failure with status [{status}]")),
    };

    /// <summary>Per-item failures inside a 200 bulk response.</summary>
    public static EsError Item(int status, string index, string uuid) => status switch
    {
        // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html#bulk-api-response-body
        429 => new EsError(429, "es_rejected_execution_exception",
            "rejected execution of org.elasticsearch.action.support.replication.TransportWriteAction$1/WrappedActionListener on EsThreadPoolExecutor[name = node-1/write, queue capacity = 10000, org.elasticsearch.common.util.concurrent.EsThreadPoolExecutor@1a2b3c[Running, pool size = 2, active threads = 2, queued tasks = 10000, completed tasks = 1000]]"),
        503 => new EsError(503, "unavailable_shards_exception",
            $"[{index}][0] primary shard is not active Timeout: [1m], request: [BulkShardRequest [[{index}][0]] containing [1] requests]").WithShard(index, uuid),
        _ => new EsError(status, status >= 500 ? "exception" : "status_exception", $"injected item failure with status [{status}]"),
    };

    private static string Title(int status) => status == 502 ? "Bad Gateway" : "Gateway Time-out";
}
