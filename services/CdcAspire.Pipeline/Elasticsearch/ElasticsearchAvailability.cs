using CdcAspire.Pipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Whether Elasticsearch answers, as the requests of this process see it. The first failed request of an outage logs
/// one warning and the first request that succeeds afterwards one recovery line, however many retries lie between
/// (issue 10: a retry per line with a stack trace drowned the one useful message). Status and health read
/// <see cref="UnavailableSince"/> to turn Degraded and then Unhealthy.
/// </summary>
public sealed class ElasticsearchAvailability(ILogger logger, TimeProvider time, string endpoint)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _since;
    private string? _reason;
    private long _outages;

    /// <summary>When the current outage began, or null while Elasticsearch answers.</summary>
    public DateTimeOffset? UnavailableSince
    {
        get
        {
            lock (_gate)
            {
                return _since;
            }
        }
    }

    /// <summary>The latest failure of the current outage (safe to show: no secrets), or null.</summary>
    public string? Reason
    {
        get
        {
            lock (_gate)
            {
                return _reason;
            }
        }
    }

    /// <summary>Outages seen so far (a failed request after a success starts one); lets callers notice a new one.</summary>
    public long Outages => Interlocked.Read(ref _outages);

    /// <summary>How long the current outage has lasted (zero while Elasticsearch answers).</summary>
    public TimeSpan Duration => UnavailableSince is { } since ? time.GetUtcNow() - since : TimeSpan.Zero;

    /// <summary>A request could not be completed for a reason that waiting may fix (no answer, 5xx, 429, a timeout).</summary>
    public void ReportFailure(string reason)
    {
        bool first;
        lock (_gate)
        {
            first = _since is null;
            _since ??= time.GetUtcNow();
            _reason = reason;
        }

        if (first)
        {
            Interlocked.Increment(ref _outages);
            Log.ElasticsearchUnavailable(logger, endpoint, reason);
        }
    }

    /// <summary>Elasticsearch answered a request (whatever the answer, it is reachable and working).</summary>
    public void ReportSuccess()
    {
        if (Volatile.Read(ref _outages) == 0)
        {
            return; // The hot path: never been down.
        }

        DateTimeOffset? since;
        lock (_gate)
        {
            since = _since;
            _since = null;
            _reason = null;
        }

        if (since is { } began)
        {
            Log.ElasticsearchAvailable(logger, endpoint, time.GetUtcNow() - began);
        }
    }
}
