using System.Collections.Concurrent;

namespace CdcAspire.Testing.Elasticsearch;

/// <summary>What the test server received and answered, for assertions on retries and batching. Thread-safe.</summary>
public sealed class ServerCounters
{
    private readonly ConcurrentDictionary<int, long> _requestsByStatus = new();
    private readonly ConcurrentDictionary<int, long> _failedItemsByStatus = new();
    private long _requests;
    private long _bulkRequests;
    private long _bulkItems;
    private long _created;
    private long _updated;
    private long _deleted;
    private long _notFound;
    private long _noop;
    private long _compressedRequests;

    /// <summary>All HTTP requests received, including those a fault answered or dropped.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>_bulk requests received, including those a fault answered or dropped.</summary>
    public long BulkRequests => Interlocked.Read(ref _bulkRequests);

    /// <summary>Bulk items processed (each gets an item in a bulk response).</summary>
    public long BulkItems => Interlocked.Read(ref _bulkItems);

    public long Created => Interlocked.Read(ref _created);

    public long Updated => Interlocked.Read(ref _updated);

    public long Deleted => Interlocked.Read(ref _deleted);

    public long NotFound => Interlocked.Read(ref _notFound);

    public long Noop => Interlocked.Read(ref _noop);

    /// <summary>Requests whose body came compressed (Content-Encoding gzip or deflate).</summary>
    public long CompressedRequests => Interlocked.Read(ref _compressedRequests);

    internal void OnCompressedRequest() => Interlocked.Increment(ref _compressedRequests);

    /// <summary>Bulk items that failed, by item status (409, 400, 429...).</summary>
    public IReadOnlyDictionary<int, long> FailedItemsByStatus => new Dictionary<int, long>(_failedItemsByStatus);

    /// <summary>Responses sent, by HTTP status code (dropped connections are not responses).</summary>
    public IReadOnlyDictionary<int, long> RequestsByStatus => new Dictionary<int, long>(_requestsByStatus);

    public long FailedItems => _failedItemsByStatus.Values.Sum();

    public long RequestsWithStatus(int status) => _requestsByStatus.GetValueOrDefault(status);

    public long FailedItemsWithStatus(int status) => _failedItemsByStatus.GetValueOrDefault(status);

    public void Reset()
    {
        _requestsByStatus.Clear();
        _failedItemsByStatus.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bulkRequests, 0);
        Interlocked.Exchange(ref _bulkItems, 0);
        Interlocked.Exchange(ref _created, 0);
        Interlocked.Exchange(ref _updated, 0);
        Interlocked.Exchange(ref _deleted, 0);
        Interlocked.Exchange(ref _notFound, 0);
        Interlocked.Exchange(ref _noop, 0);
    }

    internal void OnRequest(bool isBulk)
    {
        Interlocked.Increment(ref _requests);
        if (isBulk)
        {
            Interlocked.Increment(ref _bulkRequests);
        }
    }

    internal void OnResponse(int status) => _requestsByStatus.AddOrUpdate(status, 1, static (_, n) => n + 1);

    /// <summary>Adds one bulk request's item outcomes at once, keeping the hot path free of per-item atomics.</summary>
    internal void OnItems(int items, int created, int updated, int deleted, int notFound, int noop)
    {
        Interlocked.Add(ref _bulkItems, items);
        Interlocked.Add(ref _created, created);
        Interlocked.Add(ref _updated, updated);
        Interlocked.Add(ref _deleted, deleted);
        Interlocked.Add(ref _notFound, notFound);
        Interlocked.Add(ref _noop, noop);
    }

    internal void OnFailedItem(int status) => _failedItemsByStatus.AddOrUpdate(status, 1, static (_, n) => n + 1);
}
