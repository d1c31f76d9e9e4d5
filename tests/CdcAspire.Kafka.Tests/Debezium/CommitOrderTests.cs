using CdcAspire.Kafka.Tests.Infrastructure;
using CdcAspire.Pipeline.Changes;
using static CdcAspire.Kafka.Tests.Debezium.DecoderHarness;

namespace CdcAspire.Kafka.Tests.Debezium;

/// <summary>Versions follow commit order (source.sequence[0] = last committed LSN), whatever the change LSNs.</summary>
public sealed class CommitOrderTests
{
    private static readonly Col[] Row = [Col.Number("id", 1), Col.Text("username", "x")];

    private static Position At(string op, ulong? lastCommit, ulong lsn, long? totalOrder = null) =>
        Change(DebeziumEvents.Key(1), DebeziumEvents.Change("users", op, op == "d" ? null : Row, lastCommit, lsn, totalOrder: totalOrder)).Position;

    [Fact]
    public void LaterCommittedTransactionWinsEvenWithALowerChangeLsn()
    {
        // T1 began first (change LSN 100) but committed after T2 (change LSN 200, committed at 300): Debezium streams
        // T2 then T1, and T1's sequence[0] is T2's commit.
        var t2 = At("u", lastCommit: 250, lsn: 200);
        var t1 = At("u", lastCommit: 300, lsn: 100);
        Assert.True(t1.ToExternalVersion() > t2.ToExternalVersion());
    }

    [Fact]
    public void SnapshotRowsOrderBeforeEveryChangeStreamedAfterTheSnapshot()
    {
        var snapshot = At("r", lastCommit: 500, lsn: 900);
        var firstStreamed = At("u", lastCommit: 500, lsn: 450); // began before the snapshot, committed after it
        var deleteAfter = At("d", lastCommit: 500, lsn: 460);
        Assert.True(firstStreamed.ToExternalVersion() > snapshot.ToExternalVersion());
        Assert.True(deleteAfter.ToExternalVersion() > snapshot.ToExternalVersion());
    }

    [Fact]
    public void FirstSnapshotWithoutAPreviousCommitStillOrdersBeforeTheFirstTransaction()
    {
        var snapshot = At("r", lastCommit: null, lsn: 900);
        var first = At("c", lastCommit: null, lsn: 950);
        var second = At("u", lastCommit: 1000, lsn: 990);
        Assert.True(snapshot < first);
        Assert.True(first < second);
        Assert.True(first.ToExternalVersion() < second.ToExternalVersion());
    }

    [Fact]
    public void TotalOrderSeparatesChangesInsideOneTransaction()
    {
        var first = At("u", lastCommit: 700, lsn: 710, totalOrder: 1);
        var second = At("u", lastCommit: 700, lsn: 720, totalOrder: 2);
        Assert.True(second.ToExternalVersion() > first.ToExternalVersion());
        Assert.Equal(first.Major, second.Major);
    }

    [Fact]
    public void RedeliveryOfTheSameEventGetsTheSameVersion() =>
        Assert.Equal(At("u", 700, 720, 3).ToExternalVersion(), At("u", 700, 720, 3).ToExternalVersion());

    [Fact]
    public void FirstTransactionWithoutAPreviousCommitGetsMajorZeroNotItsChangeLsn()
    {
        // A restart inside that transaction may replay it with a lower change LSN; Major 0 keeps it stable and below
        // every later transaction, above the Major-0 snapshot rows.
        var first = At("u", lastCommit: null, lsn: 5_000, totalOrder: 2);
        Assert.Equal(new Position(0, 3), first);
        Assert.True(first > At("r", lastCommit: null, lsn: 900));
        Assert.True(first < At("u", lastCommit: 10, lsn: 20));
    }
}
