using CdcAspire.Pipeline.Kafka;
using CdcAspire.Pipeline.Kafka.Consuming;
using Confluent.Kafka;

namespace CdcAspire.Kafka.Tests.Consuming;

/// <summary>The revocation protocol, deterministically (the mock broker refuses commits during a rebalance).</summary>
public sealed class PartitionTrackerTests
{
    private static readonly TopicPartition P0 = new("t", 0);

    [Fact]
    public async Task RevocationWaitsUntilEverythingYieldedIsAcknowledgedThenCommitsAcknowledgedPlusOne()
    {
        var tracker = new PartitionTracker();
        tracker.Assign([P0]);
        Assert.True(tracker.TryGetGeneration(P0, out var generation));
        tracker.Yielded(P0, 41);
        tracker.Yielded(P0, 42);
        var stored = new List<long>();

        var revoke = Task.Run(() => tracker.RevokeAndWait([P0], TimeSpan.FromSeconds(10)), TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(revoke.IsCompleted);
        Assert.False(tracker.TryGetGeneration(P0, out _)); // nothing more is yielded from it

        Assert.True(tracker.Acknowledge(new KafkaCheckpoint("t", 0, 41, generation), c => stored.Add(c.Offset)));
        Assert.True(tracker.Acknowledge(new KafkaCheckpoint("t", 0, 42, generation), c => stored.Add(c.Offset)));
        Assert.True(await revoke.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        var commit = Assert.Single(tracker.Remove([P0]));
        Assert.Equal(43, commit.Offset.Value);
        Assert.Equal([41L, 42L], stored);
    }

    [Fact]
    public void RevocationGivesUpAfterItsTimeoutAndCommitsOnlyWhatWasAcknowledged()
    {
        var tracker = new PartitionTracker();
        tracker.Assign([P0]);
        tracker.TryGetGeneration(P0, out var generation);
        tracker.Yielded(P0, 5);
        tracker.Yielded(P0, 6);
        tracker.Acknowledge(new KafkaCheckpoint("t", 0, 5, generation), _ => { });

        Assert.False(tracker.RevokeAndWait([P0], TimeSpan.FromMilliseconds(100)));
        Assert.Equal(6, Assert.Single(tracker.Remove([P0])).Offset.Value);
    }

    [Fact]
    public void LateAcknowledgementOfAnEarlierAssignmentIsIgnored()
    {
        var tracker = new PartitionTracker();
        tracker.Assign([P0]);
        tracker.TryGetGeneration(P0, out var old);
        tracker.Remove([P0]);
        tracker.Assign([P0]);
        var stored = 0;

        Assert.False(tracker.Acknowledge(new KafkaCheckpoint("t", 0, 9, old), _ => stored++));
        Assert.Equal(0, stored);
    }
}
