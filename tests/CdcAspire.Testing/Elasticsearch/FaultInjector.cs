using CdcAspire.Testing.Elasticsearch.Faults;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch;

/// <summary>
/// Injects the failures a real cluster produces under load or during outages, for crash and retry tests.
/// Thread-safe; rules are consumed in the order requests arrive.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<(int Remaining, int Status, string? Path)> _requestFailures = [];
    private readonly List<ItemRejection> _rejections = [];
    private TimeSpan _delay;
    private int _delayCount;
    private int _dropsBefore;
    private int _dropsAfter;
    private int _failItems;
    private int _failItemsStatus;
    private volatile bool _armed;

    /// <summary>
    /// Answers the next <paramref name="count"/> requests whose path equals or ends with <paramref name="path"/>
    /// (null = any request; "/_bulk" matches "/_bulk" and "/{index}/_bulk") with <paramref name="statusCode"/> and
    /// the body ES sends for it (429 es_rejected_execution_exception, 503 cluster_block_exception, 500 exception;
    /// 502/504 as a proxy's HTML page). The request is not processed.
    /// </summary>
    public void FailNextRequests(int count, int statusCode, string? path = null) =>
        Arm(() => _requestFailures.Add((count, statusCode, path)));

    /// <summary>Delays the next <paramref name="count"/> responses by <paramref name="delay"/> (real time).</summary>
    public void DelayRequests(TimeSpan delay, int count = int.MaxValue) => Arm(() =>
    {
        _delay = delay;
        _delayCount = count;
    });

    /// <summary>
    /// Aborts the TCP connection of the next <paramref name="count"/> requests without a response. By default before
    /// the request is processed; with <paramref name="afterProcessing"/> the writes happen and only the response is
    /// lost, the case that makes a client retry an already applied bulk.
    /// </summary>
    public void DropNextConnections(int count, bool afterProcessing = false) => Arm(() =>
    {
        if (afterProcessing)
        {
            _dropsAfter += count;
        }
        else
        {
            _dropsBefore += count;
        }
    });

    /// <summary>Fails every bulk item matching <paramref name="predicate"/> with the given per-item error; the item is not applied.</summary>
    public void RejectItems(
        Func<ItemInfo, bool> predicate,
        int status = 400,
        string type = "document_parsing_exception",
        string reason = "rejected by the Elasticsearch test server's fault injector") =>
        Arm(() => _rejections.Add(new ItemRejection(predicate, status, type, reason)));

    /// <summary>
    /// Fails the next <paramref name="count"/> bulk items inside an otherwise normal 200 response; 429 gives
    /// es_rejected_execution_exception, 503 unavailable_shards_exception. The items are not applied.
    /// </summary>
    public void FailNextItems(int count, int status = 429) => Arm(() =>
    {
        _failItems = count;
        _failItemsStatus = status;
    });

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _requestFailures.Clear();
            _rejections.Clear();
            _delayCount = _dropsBefore = _dropsAfter = _failItems = 0;
            _armed = false;
        }
    }

    internal bool HasItemFaults
    {
        get
        {
            if (!_armed)
            {
                return false;
            }

            lock (_gate)
            {
                return _failItems > 0 || _rejections.Count > 0;
            }
        }
    }

    internal (TimeSpan Delay, DropMode Drop, int? FailStatus) TakeRequestFaults(string path)
    {
        if (!_armed)
        {
            return (TimeSpan.Zero, DropMode.None, null);
        }

        lock (_gate)
        {
            var delay = TimeSpan.Zero;
            if (_delayCount > 0)
            {
                _delayCount--;
                delay = _delay;
            }

            var drop = DropMode.None;
            if (_dropsBefore > 0)
            {
                _dropsBefore--;
                drop = DropMode.BeforeProcessing;
            }
            else if (_dropsAfter > 0)
            {
                _dropsAfter--;
                drop = DropMode.AfterProcessing;
            }

            int? fail = null;
            for (var i = 0; i < _requestFailures.Count && drop != DropMode.BeforeProcessing; i++)
            {
                var (remaining, status, match) = _requestFailures[i];
                if (match is null || path == match || path.EndsWith(match, StringComparison.Ordinal))
                {
                    fail = status;
                    if (remaining <= 1)
                    {
                        _requestFailures.RemoveAt(i);
                    }
                    else
                    {
                        _requestFailures[i] = (remaining - 1, status, match);
                    }

                    break;
                }
            }

            return (delay, drop, fail);
        }
    }

    /// <summary>The injected failure for one bulk item, or null to process it normally.</summary>
    internal EsError? TakeItemFault(Func<ItemInfo> describe, string index, string uuid)
    {
        ItemRejection[] rules;
        lock (_gate)
        {
            if (_failItems > 0)
            {
                _failItems--;
                return RequestFaults.Item(_failItemsStatus, index, uuid);
            }

            rules = [.. _rejections];
        }

        if (rules.Length == 0)
        {
            return null;
        }

        var info = describe();
        foreach (var rule in rules)
        {
            if (rule.Predicate(info))
            {
                return new EsError(rule.Status, rule.Type, rule.Reason);
            }
        }

        return null;
    }

    private void Arm(Action change)
    {
        lock (_gate)
        {
            change();
            _armed = true;
        }
    }
}
