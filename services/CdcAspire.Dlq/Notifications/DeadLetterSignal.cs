namespace CdcAspire.Dlq.Notifications;

/// <summary>
/// "Something changed in dead_letters": raised by the LISTEN connection (a sink wrote letters) and by this service's
/// own changes; waited on by the automatic retry and the metrics. Versioned, so a raise between a reader's query and
/// its wait is never lost.
/// </summary>
public sealed class DeadLetterSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Raise()
    {
        TaskCompletionSource raised;
        lock (_gate)
        {
            _version++;
            raised = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        raised.TrySetResult();
    }

    /// <summary>Returns when the version moved past <paramref name="seen"/> or <paramref name="timeout"/> passed.</summary>
    public async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task next;
        lock (_gate)
        {
            if (_version != seen)
            {
                return;
            }

            next = _next.Task;
        }

        try
        {
            await next.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Woken by the clock instead: the caller looks again either way.
        }
    }
}
