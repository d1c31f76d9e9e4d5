using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Kafka.Consuming;
using Confluent.Kafka;

namespace CdcAspire.Kafka.Tests.Consuming;

/// <summary>Start offsets, retention loss and re-snapshot detection, as decisions.</summary>
public sealed class ConsumingDecisionTests
{
    private static readonly TopicPartition P0 = new("t", 0);

    [Fact]
    public void APartitionNeverCommittedStartsAtTheBeginningAndACommittedOneWhereItWas()
    {
        Assert.Equal(Offset.Beginning, StartOffsets.For(new TopicPartitionOffset(P0, Offset.Unset), startAtEnd: false).Offset);
        Assert.Equal(Offset.End, StartOffsets.For(new TopicPartitionOffset(P0, Offset.Unset), startAtEnd: true).Offset);
        Assert.Equal(42, StartOffsets.For(new TopicPartitionOffset(P0, 42), startAtEnd: false).Offset.Value);
    }

    [Fact]
    public void OnlyAnAutoOffsetResetErrorIsReportedAsLostToRetention()
    {
        var lost = StartOffsets.LostToRetention(new Error(ErrorCode.Local_AutoOffsetReset, "offset out of range"), "g");
        Assert.NotNull(lost);
        Assert.False(lost.IsTransient);
        Assert.Null(StartOffsets.LostToRetention(new Error(ErrorCode.Local_Transport, "down"), "g"));
    }

    [Fact]
    public void AMajorZeroSnapshotAfterCommittedChangesIsReportedOncePerPartition()
    {
        var detector = new ResnapshotDetector();
        var snapshot = Event(ChangeKind.Snapshot, 0);
        Assert.False(detector.ShouldWarn(P0, snapshot)); // a first snapshot is normal
        Assert.False(detector.ShouldWarn(P0, Event(ChangeKind.Update, 500)));
        Assert.True(detector.ShouldWarn(P0, snapshot));
        Assert.False(detector.ShouldWarn(P0, snapshot));
        Assert.True(detector.ShouldWarn(new TopicPartition("t", 1), snapshot));
    }

    private static ChangeEvent Event(ChangeKind kind, ulong major) =>
        new(new TableId("public", "users"), kind, new Position(major, kind == ChangeKind.Snapshot ? 0u : 1u), ["1"], []);
}
