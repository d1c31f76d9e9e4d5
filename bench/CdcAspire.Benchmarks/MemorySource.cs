using System.Runtime.CompilerServices;
using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Benchmarks;

/// <summary>
/// Replays changes already decoded (kept from the decode run) and one checkpoint after them: the pipeline's
/// mapper, bulk writer, Elasticsearch client and acknowledgement without PostgreSQL.
/// </summary>
internal sealed class MemorySource(IReadOnlyList<ChangeEvent> changes) : IChangeSource
{
    private readonly TaskCompletionSource<long> _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly EndCheckpoint _end = new();

    public string Name => "memory";

    /// <summary>Completes with the Stopwatch timestamp when the checkpoint after the last change was acknowledged.</summary>
    public Task<long> Acknowledged => _acknowledged.Task;

    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async IAsyncEnumerable<SourceItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            yield return change;
        }

        yield return _end;
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(checkpoint, _end))
        {
            _acknowledged.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed record EndCheckpoint : Checkpoint;
}
