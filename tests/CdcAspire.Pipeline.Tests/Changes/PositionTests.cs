using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Tests.Changes;

public sealed class PositionTests
{
    [Fact]
    public void LaterCommitAlwaysHasHigherVersionWhateverTheMinor()
    {
        var earlier = new Position(0x16_B374D848, 4000);
        var later = new Position(0x16_B374D849, 0);
        Assert.True(later > earlier);
        Assert.True(later.ToExternalVersion() > earlier.ToExternalVersion());
    }

    [Fact]
    public void MinorOrdersChangesInsideOneTransactionUpToItsLimit()
    {
        var first = new Position(100, 1);
        var second = new Position(100, 2);
        Assert.True(second.ToExternalVersion() > first.ToExternalVersion());
        Assert.Equal(
            new Position(100, Position.MaxDistinctMinor).ToExternalVersion(),
            new Position(100, Position.MaxDistinctMinor + 10).ToExternalVersion());
    }

    [Fact]
    public void PositionBeyondTheVersionRangeIsRefusedNotWrapped()
    {
        var tooFar = new Position(Position.MaxMajor + 1, 0);
        var ex = Assert.Throws<InvalidOperationException>(() => tooFar.ToExternalVersion());
        Assert.Contains("Elasticsearch version", ex.Message, StringComparison.Ordinal);
        Assert.True(new Position(Position.MaxMajor, Position.MaxDistinctMinor).ToExternalVersion() > 0);
    }

    [Fact]
    public void PrintsLikeAPostgresLsn() =>
        Assert.Equal("16/B374D848#3", new Position(0x16_B374D848, 3).ToString());
}
