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
}
