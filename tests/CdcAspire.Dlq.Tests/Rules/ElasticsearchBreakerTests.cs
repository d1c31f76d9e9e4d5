extern alias dlqservice;

using dlqservice::CdcAspire.Dlq.Breaker;
using dlqservice::CdcAspire.Dlq.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdcAspire.Dlq.Tests.Rules;

/// <summary>The replay breaker's states, driven by a clock the test moves.</summary>
public sealed class ElasticsearchBreakerTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void OpensAfterTheThresholdSaysWhyAndWhenAndLetsOneProbeThroughAfterTheOpenTime()
    {
        var breaker = Breaker(threshold: 2, open: TimeSpan.FromSeconds(30));

        breaker.Failed("503 Service Unavailable");
        Assert.Equal(BreakerState.Closed, breaker.Snapshot.State);
        Assert.True(breaker.TryEnter());
        breaker.Failed("503 Service Unavailable");

        var open = breaker.Snapshot;
        Assert.Equal(BreakerState.Open, open.State);
        Assert.Equal("503 Service Unavailable", open.Reason);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(30), open.RetryAt);
        Assert.False(breaker.TryEnter());
        Assert.Contains("open", breaker.OpenMessage(), StringComparison.Ordinal);
        Assert.Contains("503 Service Unavailable", breaker.OpenMessage(), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(BreakerState.HalfOpen, breaker.Snapshot.State);
        Assert.True(breaker.TryEnter());
        Assert.False(breaker.TryEnter()); // one probe at a time
        breaker.Succeeded();
        Assert.Equal(BreakerState.Closed, breaker.Snapshot.State);
        Assert.True(breaker.TryEnter());
    }

    [Fact]
    public void AFailedProbeOpensItAgainAtOnce()
    {
        var breaker = Breaker(threshold: 5, open: TimeSpan.FromSeconds(10));
        for (var i = 0; i < 5; i++)
        {
            breaker.Failed("timeout");
        }

        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(breaker.TryEnter());
        breaker.Failed("still down");

        Assert.Equal(BreakerState.Open, breaker.Snapshot.State);
        Assert.Equal("still down", breaker.Snapshot.Reason);
        Assert.False(breaker.TryEnter());
    }

    private ElasticsearchBreaker Breaker(int threshold, TimeSpan open) => new(
        Microsoft.Extensions.Options.Options.Create(new DlqOptions { Breaker = new BreakerOptions { FailureThreshold = threshold, OpenDuration = open } }),
        _clock, NullLogger<ElasticsearchBreaker>.Instance);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 5, 6, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
