namespace CdcAspire.Pipeline.Options;

/// <summary>Batching, concurrency and retry settings of the Elasticsearch bulk writer.</summary>
public sealed class WriterOptions
{
    /// <summary>Most actions in one <c>_bulk</c> request (default 2000).</summary>
    public int MaxBatchCount { get; set; } = 2000;

    /// <summary>Most body bytes in one <c>_bulk</c> request (default 8 MiB; Elasticsearch advises 5-15 MB).</summary>
    public int MaxBatchBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Longest a lane behind on its work waits for a batch to fill before sending it (default 20 ms). An idle lane
    /// sends at once, and a filling batch is sent as soon as the stream pauses for a millisecond, so this bounds the
    /// added latency only under a steady stream, where bigger batches cut the cost per action of each request.
    /// </summary>
    public TimeSpan MaxBatchAge { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Concurrent bulk requests (default 4). Each document always goes to the same lane, and a lane has one request
    /// in flight, so the writes of one document reach Elasticsearch in order.
    /// </summary>
    public int Lanes { get; set; } = 4;

    /// <summary>Actions buffered per lane before the source is made to wait (default 10000): bounds memory.</summary>
    public int LaneCapacity { get; set; } = 10_000;

    /// <summary>
    /// Most document bytes buffered in all lanes together (default 256 MiB) before the source is made to wait:
    /// with <see cref="LaneCapacity"/> this bounds memory for small and for large rows alike.
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Longest wait between retries of a failing request (default 30 s); retries never stop.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay (default 100 ms), doubled each attempt with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Timeout of one bulk request (default 30 s). Kept well under <c>index.gc_deletes</c> (60 s); see BulkLane.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gzip request bodies to Elasticsearch (default false). Compression saves network bytes but costs sink CPU on
    /// every bulk request; on a local or fast network throughput is higher without it. Responses are always accepted
    /// compressed.
    /// </summary>
    public bool HttpCompression { get; set; }

    /// <summary>
    /// How long Elasticsearch may be unreachable before <c>/health</c> reports Degraded (default 10 s). Until then a
    /// failed request is an ordinary retry.
    /// </summary>
    public TimeSpan DegradedAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long Elasticsearch may be unreachable before <c>/health</c> reports Unhealthy (default 2 min).</summary>
    public TimeSpan UnhealthyAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How often the index templates are checked (and re-applied when missing, e.g. after Elasticsearch was replaced),
    /// before the next bulk request (default 30 s). They are also checked before the first request after a failed one.
    /// </summary>
    public TimeSpan TemplateCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
