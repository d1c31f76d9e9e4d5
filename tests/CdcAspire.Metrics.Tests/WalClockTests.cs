extern alias metrics;
using metrics::CdcAspire.Metrics.Collectors.Postgres;

namespace CdcAspire.Metrics.Tests;

/// <summary>The time-based lag computed from sampled WAL positions.</summary>
public sealed class WalClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ACaughtUpSlotIsZeroSecondsBehind()
    {
        var clock = new WalClock();
        clock.Record(T0, 1000);
        clock.Record(T0.AddSeconds(10), 2000);
        Assert.Equal(0, clock.LagSeconds(2000, T0.AddSeconds(20)));
    }

    [Fact]
    public void TheLagIsTheAgeOfTheFirstReadingPastTheConfirmedPosition()
    {
        var clock = new WalClock();
        clock.Record(T0, 1000);
        clock.Record(T0.AddSeconds(10), 1000);
        clock.Record(T0.AddSeconds(20), 1500);
        clock.Record(T0.AddSeconds(30), 2500);
        // Confirmed at 1000: the first WAL after it was seen at T0+20.
        Assert.Equal(40, clock.LagSeconds(1000, T0.AddSeconds(60)));
        // Confirmed at 1500: the first reading past it is T0+30.
        Assert.Equal(30, clock.LagSeconds(1500, T0.AddSeconds(60)));
    }

    [Fact]
    public void PruningKeepsWhatTheOldestSlotStillNeeds()
    {
        var clock = new WalClock();
        for (var i = 0; i < 10; i++)
        {
            clock.Record(T0.AddSeconds(i), (ulong)(1000 + (i * 100)));
        }

        clock.Prune(1450);
        Assert.Equal(5, clock.LagSeconds(1450, T0.AddSeconds(10)));
        Assert.Equal(4, clock.LagSeconds(1500, T0.AddSeconds(10)));
    }

    [Fact]
    public void AWalPositionGoingBackwardsStartsOver()
    {
        var clock = new WalClock();
        clock.Record(T0, 5000);
        clock.Record(T0.AddSeconds(10), 100);
        Assert.Equal(0, clock.LagSeconds(50, T0.AddSeconds(10)));
        Assert.Equal(5, clock.LagSeconds(50, T0.AddSeconds(15)));
    }
}
