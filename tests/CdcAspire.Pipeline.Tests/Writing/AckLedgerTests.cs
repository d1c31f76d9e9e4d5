using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Writing;

namespace CdcAspire.Pipeline.Tests.Writing;

public sealed class AckLedgerTests
{
    private sealed record Mark(int N) : Checkpoint;

    private sealed record Lsn(ulong Value) : Checkpoint
    {
        public override bool IsCoveredBy(Checkpoint later) => later is Lsn;
    }

    [Fact]
    public void ACheckpointWaitsWhileAnEarlierActionSitsInABusyLane()
    {
        var ledger = new AckLedger(2);
        var first = ledger.Assign(0);
        var second = ledger.Assign(1);
        ledger.Record(new Mark(1));

        ledger.Settle(1, second); // the later action settles first, in the other lane
        Assert.Empty(ledger.TakeSettled());

        ledger.Settle(0, first);
        Assert.Equal([new Mark(1)], ledger.TakeSettled());
    }

    [Fact]
    public void ACheckpointWithNothingBeforeItIsSettledAtOnceAndHandedBackOnlyOnce()
    {
        var ledger = new AckLedger(4);
        ledger.Record(new Mark(1));

        Assert.Equal([new Mark(1)], ledger.TakeSettled());
        Assert.Empty(ledger.TakeSettled());
    }

    [Fact]
    public void ABusyLaneVouchesForEveryActionUpToTheLastOneItSettled()
    {
        var ledger = new AckLedger(2);
        ledger.Assign(0);
        ledger.Assign(0);
        ledger.Record(new Mark(1));
        var third = ledger.Assign(0);
        ledger.Record(new Mark(2));
        ledger.Assign(0); // still in flight
        ledger.Record(new Mark(3));

        ledger.Settle(0, third); // one batch settled the first three

        Assert.Equal([new Mark(1), new Mark(2)], ledger.TakeSettled());
        Assert.Equal(1, ledger.PendingCheckpoints);
        Assert.False(ledger.AllSettled);
    }

    [Fact]
    public void CheckpointsComeBackInSourceOrderAsTheLanesCatchUp()
    {
        var ledger = new AckLedger(3);
        var a = ledger.Assign(0);
        ledger.Record(new Mark(1));
        var b = ledger.Assign(1);
        ledger.Record(new Mark(2));
        var c = ledger.Assign(2);
        ledger.Record(new Mark(3));

        ledger.Settle(2, c);
        ledger.Settle(1, b);
        Assert.Empty(ledger.TakeSettled());

        ledger.Settle(0, a);
        Assert.Equal([new Mark(1), new Mark(2), new Mark(3)], ledger.TakeSettled());
    }

    [Fact]
    public void ALaneThatSettlesPartOfItsWorkVouchesOnlyForWhatItSettled()
    {
        var ledger = new AckLedger(1);
        var a = ledger.Assign(0);
        ledger.Record(new Mark(1));
        ledger.Assign(0);
        ledger.Record(new Mark(2));

        ledger.Settle(0, a);

        Assert.Equal([new Mark(1)], ledger.TakeSettled());
        Assert.False(ledger.AllSettled);
    }

    [Fact]
    public void AFailedLaneHoldsBackEveryLaterCheckpointWhateverTheOtherLanesSettle()
    {
        // A lane that fails never settles its batch (the run ends), so nothing after its action may come back.
        var ledger = new AckLedger(2);
        var early = ledger.Assign(0);
        ledger.Settle(0, early);
        ledger.Record(new Mark(1));
        ledger.Assign(0); // this lane's next batch fails
        ledger.Record(new Mark(2));
        long last = -1;
        for (var i = 0; i < 10; i++)
        {
            last = ledger.Assign(1);
            ledger.Record(new Mark(3 + i));
        }

        ledger.Settle(1, last);

        Assert.Equal([new Mark(1)], ledger.TakeSettled());
        Assert.Empty(ledger.TakeSettled());
        Assert.Equal(11, ledger.PendingCheckpoints);
    }

    [Fact]
    public void OnlyTheLastOfCheckpointsThatCoverEachOtherIsSentButEveryOtherKindIsSentInTurn()
    {
        Assert.Equal([new Lsn(3)], AckLedger.ToAcknowledge([new Lsn(1), new Lsn(2), new Lsn(3)]));
        Assert.Equal([new Mark(1), new Lsn(2), new Mark(3)], AckLedger.ToAcknowledge([new Mark(1), new Lsn(1), new Lsn(2), new Mark(3)]));
        Assert.Empty(AckLedger.ToAcknowledge([]));
    }

    [Fact]
    public void TheOldestPendingCommitTimeIsTheLagOfWhatIsNotYetSettled()
    {
        var ledger = new AckLedger(1);
        var t1 = DateTimeOffset.UnixEpoch.AddSeconds(1);
        var t2 = DateTimeOffset.UnixEpoch.AddSeconds(2);
        var a = ledger.Assign(0);
        ledger.Record(new Mark(1) { CommitTime = t1 });
        ledger.Assign(0);
        ledger.Record(new Mark(2) { CommitTime = t2 });
        Assert.Equal(t1, ledger.OldestPendingCommitTime);

        ledger.Settle(0, a);
        ledger.TakeSettled();

        Assert.Equal(t2, ledger.OldestPendingCommitTime);
    }

    [Fact]
    public async Task WaitingForAllSettledEndsWhenTheLastLaneSettles()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = new AckLedger(2);
        var a = ledger.Assign(0);
        var b = ledger.Assign(1);
        var drained = ledger.WaitAllSettledAsync(ct);

        ledger.Settle(0, a);
        await Task.Yield();
        Assert.False(drained.IsCompleted);

        ledger.Settle(1, b);
        await drained.WaitAsync(TimeSpan.FromSeconds(5), ct);
        Assert.True(ledger.AllSettled);
    }

    [Fact]
    public async Task ASettleWakesTheAcknowledgerWithoutWaitingForItsInterval()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = new AckLedger(1);
        var a = ledger.Assign(0);
        ledger.Record(new Mark(1));
        Assert.True(await ledger.WaitForChangeAsync(TimeSpan.FromSeconds(5), ct)); // the record's own signal
        var woken = ledger.WaitForChangeAsync(TimeSpan.FromMinutes(1), ct);

        ledger.Settle(0, a);

        Assert.True(await woken.WaitAsync(TimeSpan.FromSeconds(5), ct));
        Assert.Equal([new Mark(1)], ledger.TakeSettled());
    }
}
