using System.Collections.Concurrent;
using CdcAspire.Pipeline.DeadLetters;

namespace CdcAspire.Pipeline.Tests.Elasticsearch.Support;

internal sealed class MemoryDeadLetters : IDeadLetterStore
{
    public ConcurrentQueue<DeadLetter> Letters { get; } = new();

    public Task WriteAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        foreach (var letter in letters)
        {
            Letters.Enqueue(letter);
        }

        return Task.CompletedTask;
    }
}
