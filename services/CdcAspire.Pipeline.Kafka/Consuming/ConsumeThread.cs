using System.Collections.Concurrent;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// One dedicated thread that runs a consumer session's work items in order. librdkafka serves the rebalance, error
/// and log callbacks on the thread that calls <c>Consume</c>; running every consumer call here (create, subscribe,
/// consume, metadata, close) puts those callbacks and the read loop on the same thread, so the session's state has
/// a single owner. Blocking is fine here: a long <c>Consume</c> or a revocation waiting for acknowledgements holds
/// this thread, never a thread-pool thread.
/// </summary>
internal sealed class ConsumeThread(string name) : IDisposable
{
    private readonly BlockingCollection<Action> work = new();
    private readonly Lock gate = new();
    private Thread? thread;
    private bool stopped;

    /// <summary>Queues <paramref name="step"/>; the task completes (asynchronously) with its result or exception.</summary>
    /// <exception cref="ObjectDisposedException">The thread was stopped.</exception>
    public Task<T> RunAsync<T>(Func<T> step)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(stopped, this);
            if (thread is null)
            {
                thread = new Thread(Run) { IsBackground = true, Name = name };
                thread.Start();
            }

            work.Add(() =>
            {
                try
                {
                    done.SetResult(step());
                }
                catch (Exception ex)
                {
                    done.SetException(ex);
                }
            });
        }

        return done.Task;
    }

    /// <summary>Takes no more work; the thread ends after what is queued.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (stopped)
            {
                return;
            }

            stopped = true;
            work.CompleteAdding();
            if (thread is null)
            {
                work.Dispose();
            }
        }
    }

    private void Run()
    {
        foreach (var item in work.GetConsumingEnumerable())
        {
            item();
        }

        work.Dispose();
    }
}
