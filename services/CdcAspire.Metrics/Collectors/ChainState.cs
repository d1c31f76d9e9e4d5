using CdcAspire.Metrics.V1;

namespace CdcAspire.Metrics.Collectors;

/// <summary>
/// The latest reading of the chain, shared by the /metrics instruments, GetHealth and Watch. Readers take the
/// current report (an immutable snapshot: it is replaced, never changed) or wait for the next one.
/// </summary>
internal sealed class ChainState
{
    private readonly Lock _gate = new();
    private HealthReport? _current;
    private TaskCompletionSource<HealthReport> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last report, or null before the first collection ended.</summary>
    public HealthReport? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public void Publish(HealthReport report)
    {
        TaskCompletionSource<HealthReport> next;
        lock (_gate)
        {
            _current = report;
            next = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        next.TrySetResult(report);
    }

    /// <summary>The next report published after this call.</summary>
    public Task<HealthReport> NextAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _next.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The current report (null before the first) and the next one, taken together so none is missed.</summary>
    public (HealthReport? Current, Task<HealthReport> Next) Peek(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return (_current, _next.Task.WaitAsync(cancellationToken));
        }
    }

    /// <summary>The current report, or the first one when none has been published yet.</summary>
    public async Task<HealthReport> CurrentOrNextAsync(CancellationToken cancellationToken)
    {
        Task<HealthReport> next;
        lock (_gate)
        {
            if (_current is not null)
            {
                return _current;
            }

            next = _next.Task;
        }

        return await next.WaitAsync(cancellationToken);
    }
}
