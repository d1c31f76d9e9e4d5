namespace CdcAspire.Pipeline.Writing;

/// <summary>
/// Bounds the bytes of documents buffered in the lanes (item counts alone do not bound memory when rows are large).
/// Taking waits while the budget is spent; one item always fits so a document larger than the budget still moves.
/// </summary>
internal sealed class ByteBudget(long capacity)
{
    private readonly Lock _gate = new();
    private long _used;
    private TaskCompletionSource? _released;

    public long Used => Interlocked.Read(ref _used);

    public async ValueTask TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_used == 0 || _used + bytes <= capacity)
                {
                    _used += bytes;
                    return;
                }

                _released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _released.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    public void Release(long bytes)
    {
        TaskCompletionSource? released;
        lock (_gate)
        {
            _used -= bytes;
            released = _released;
            _released = null;
        }

        released?.TrySetResult();
    }
}
