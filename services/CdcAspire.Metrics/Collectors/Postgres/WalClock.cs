namespace CdcAspire.Metrics.Collectors.Postgres;

/// <summary>
/// A time-based lag seen from outside the sink: the WAL position is sampled at every collection, so "when was the
/// first WAL byte after a slot's confirmed_flush_lsn written" is known to within one interval, without the sink's
/// help (a dead sink reports nothing) and without track_commit_timestamp. The lag is now minus the time of the
/// first sample that was already past the confirmed position: how long the oldest unacknowledged change has been
/// waiting (a lower bound, exact to one interval). Caught up (confirmed = current) is 0. An idle database whose
/// only WAL is the sink's heartbeat stays within about one heartbeat interval.
/// </summary>
internal sealed class WalClock
{
    private const int MaxSamples = 100_000;
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, ulong Lsn)> _samples = [];

    public void Record(DateTimeOffset at, ulong currentLsn)
    {
        lock (_gate)
        {
            if (_samples.Count > 0 && currentLsn < _samples[^1].Lsn)
            {
                // The WAL position only moves forward; a smaller one is another server (restored or failed over).
                _samples.Clear();
            }

            _samples.Add((at, currentLsn));
            if (_samples.Count > MaxSamples)
            {
                _samples.RemoveRange(0, _samples.Count - MaxSamples);
            }
        }
    }

    /// <summary>Seconds the slot confirmed at <paramref name="confirmedLsn"/> is behind, at <paramref name="now"/>.</summary>
    public double LagSeconds(ulong confirmedLsn, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_samples.Count == 0 || confirmedLsn >= _samples[^1].Lsn)
            {
                return 0;
            }

            // Samples are in LSN order: the first one past the confirmed position.
            var lo = 0;
            var hi = _samples.Count - 1;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (_samples[mid].Lsn > confirmedLsn)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return Math.Max(0, (now - _samples[lo].At).TotalSeconds);
        }
    }

    /// <summary>Forgets samples no slot can need: everything before the last one at or below the oldest confirmed position.</summary>
    public void Prune(ulong oldestConfirmedLsn)
    {
        lock (_gate)
        {
            var keepFrom = _samples.FindLastIndex(s => s.Lsn <= oldestConfirmedLsn);
            if (keepFrom > 0)
            {
                _samples.RemoveRange(0, keepFrom);
            }
        }
    }
}
