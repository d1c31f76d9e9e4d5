using CdcAspire.Pipeline.Kafka.Consuming;

namespace CdcAspire.Kafka.Tests.Consuming;

/// <summary>The thread a consumer session runs every consumer call on (librdkafka's callbacks run inside them).</summary>
public sealed class ConsumeThreadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EveryStepRunsInOrderOnTheSameDedicatedThread()
    {
        using var thread = new ConsumeThread("test-consume");
        var caller = Environment.CurrentManagedThreadId;
        var order = new List<int>();

        var steps = Enumerable.Range(0, 20).Select(i => thread.RunAsync(() =>
        {
            order.Add(i);
            return (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread);
        })).ToList();
        var ran = await Task.WhenAll(steps).WaitAsync(Wait, TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 20), order);
        var only = Assert.Single(ran.Distinct());
        Assert.NotEqual(caller, only.CurrentManagedThreadId);
        Assert.Equal("test-consume", only.Name);
        Assert.False(only.IsThreadPoolThread);
    }

    [Fact]
    public async Task AStepsExceptionReachesItsCallerAndTheThreadGoesOn()
    {
        using var thread = new ConsumeThread("test-consume");

        var failed = thread.RunAsync<int>(() => throw new InvalidOperationException("step failed"));
        var next = thread.RunAsync(() => 7);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.Equal("step failed", error.Message);
        Assert.Equal(7, await next.WaitAsync(Wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AfterDisposeQueuedStepsStillRunButNewOnesAreRefused()
    {
        var thread = new ConsumeThread("test-consume");
        using var release = new ManualResetEventSlim();
        var blocking = thread.RunAsync(() => release.Wait(Wait));
        var queued = thread.RunAsync(() => "closed");

        thread.Dispose();
        Assert.Throws<ObjectDisposedException>(() => { _ = thread.RunAsync(() => 1); }); // refused at once, not as a faulted task
        release.Set();

        Assert.True(await blocking.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.Equal("closed", await queued.WaitAsync(Wait, TestContext.Current.CancellationToken));
    }
}
