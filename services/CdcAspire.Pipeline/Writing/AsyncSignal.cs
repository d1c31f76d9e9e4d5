namespace CdcAspire.Pipeline.Writing;

/// <summary>
/// Wakes one waiter when something may have become acknowledgeable (a batch settled, a checkpoint arrived), so the
/// acknowledger reacts at once instead of polling. A set that arrives while nobody waits is kept for the next wait.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>Waits for a set, at most <paramref name="timeout"/>; then re-arms. Returns false on timeout.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = Volatile.Read(ref _next).Task;
        var signalled = true;
        try
        {
            await pending.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            signalled = false;
        }

        // Re-arm before the caller looks at the state: a set after this point wakes the next wait.
        if (pending.IsCompleted)
        {
            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return signalled;
    }
}
