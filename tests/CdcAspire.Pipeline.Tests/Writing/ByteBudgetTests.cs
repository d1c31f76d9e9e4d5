using CdcAspire.Pipeline.Writing;

namespace CdcAspire.Pipeline.Tests.Writing;

public sealed class ByteBudgetTests
{
    [Fact]
    public async Task ATakeBeyondTheBudgetWaitsUntilBytesAreReleased()
    {
        var ct = TestContext.Current.CancellationToken;
        var budget = new ByteBudget(100);
        await budget.TakeAsync(80, ct);
        var waiting = budget.TakeAsync(30, ct).AsTask();
        await Task.Delay(50, ct); // a negative: it must still be waiting
        Assert.False(waiting.IsCompleted);

        budget.Release(80);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5), ct);
        Assert.Equal(30, budget.Used);
    }

    [Fact]
    public async Task OneItemLargerThanTheWholeBudgetStillMovesWhenNothingElseIsBuffered()
    {
        var ct = TestContext.Current.CancellationToken;
        var budget = new ByteBudget(100);
        await budget.TakeAsync(1000, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), ct);
        Assert.Equal(1000, budget.Used);
    }

    [Fact]
    public async Task ASignalSetWhileNobodyWaitsWakesTheNextWait()
    {
        var ct = TestContext.Current.CancellationToken;
        var signal = new AsyncSignal();
        signal.Set();
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(5), ct));
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), ct));
    }
}
