using CdcAspire.Dlq.Options;
using Microsoft.Extensions.Options;

namespace CdcAspire.Dlq.Replay;

/// <summary>
/// Exponential backoff with jitter for the automatic retry: a delay drawn between half and all of
/// min(<c>Dlq:RetryMaxDelay</c>, <c>Dlq:RetryInitialDelay</c> × 2^attempts), so letters that failed together do not
/// all come back at the same moment.
/// </summary>
public sealed class RetrySchedule(IOptions<DlqOptions> options, TimeProvider time)
{
    public DateTimeOffset Next(int failedAttempts)
    {
        var o = options.Value;
        var ceiling = Math.Min(o.RetryMaxDelay.TotalMilliseconds, o.RetryInitialDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30)));
#pragma warning disable CA5394 // Jitter spreads retries; it need not be unpredictable.
        var jittered = ceiling * (0.5 + (Random.Shared.NextDouble() * 0.5));
#pragma warning restore CA5394
        return time.GetUtcNow() + TimeSpan.FromMilliseconds(jittered);
    }
}
