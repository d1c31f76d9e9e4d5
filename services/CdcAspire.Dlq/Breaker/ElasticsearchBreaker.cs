using CdcAspire.Dlq.Diagnostics;
using CdcAspire.Dlq.Options;
using Microsoft.Extensions.Options;

namespace CdcAspire.Dlq.Breaker;

/// <summary>
/// A circuit breaker around Elasticsearch for replays: after <see cref="BreakerOptions.FailureThreshold"/>
/// consecutive failed requests (unreachable, 429, 5xx, timeouts) it opens for <see cref="BreakerOptions.OpenDuration"/>,
/// so a struggling cluster is not hammered by replays; then one caller probes (half-open) and its result closes or
/// re-opens it. Per-document rejections (mapping, parse) are answers, not failures: they do not count.
/// </summary>
public sealed class ElasticsearchBreaker(IOptions<DlqOptions> options, TimeProvider time, ILogger<ElasticsearchBreaker> logger)
{
    private readonly Lock _gate = new();
    private BreakerState _state = BreakerState.Closed;
    private int _failures;
    private string _reason = string.Empty;
    private DateTimeOffset _openUntil;
    private bool _probing;

    public BreakerSnapshot Snapshot
    {
        get
        {
            lock (_gate)
            {
                var state = _state == BreakerState.Open && time.GetUtcNow() >= _openUntil ? BreakerState.HalfOpen : _state;
                return new BreakerSnapshot(state, _reason, _state == BreakerState.Open ? _openUntil : null);
            }
        }
    }

    /// <summary>
    /// May a request go to Elasticsearch now? False while open (and while another caller probes); when the open time
    /// has passed, the first caller becomes the probe.
    /// </summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case BreakerState.Closed:
                    return true;
                case BreakerState.Open when time.GetUtcNow() >= _openUntil:
                    _state = BreakerState.HalfOpen;
                    _probing = true;
                    Log.BreakerProbing(logger);
                    return true;
                case BreakerState.HalfOpen when !_probing:
                    _probing = true;
                    return true;
                default:
                    return false;
            }
        }
    }

    public void Succeeded()
    {
        lock (_gate)
        {
            if (_state != BreakerState.Closed)
            {
                Log.BreakerClosed(logger);
            }

            _state = BreakerState.Closed;
            _failures = 0;
            _probing = false;
            _reason = string.Empty;
        }
    }

    public void Failed(string reason)
    {
        lock (_gate)
        {
            _failures++;
            _probing = false;
            _reason = reason;
            if (_state == BreakerState.HalfOpen || _failures >= options.Value.Breaker.FailureThreshold)
            {
                _state = BreakerState.Open;
                _openUntil = time.GetUtcNow() + options.Value.Breaker.OpenDuration;
                Log.BreakerOpened(logger, _failures, _openUntil, reason);
            }
        }
    }

    /// <summary>The error a replay reports while the breaker holds it back: the state, the cause and the retry time.</summary>
    public string OpenMessage()
    {
        var s = Snapshot;
        return $"Elasticsearch keeps failing, so the replay breaker is {s.StateName} (last error: {s.Reason}); " +
            $"replays resume at {s.RetryAt:O} when it probes again. Check the cluster's health; nothing was lost, the dead letters stay pending.";
    }
}
