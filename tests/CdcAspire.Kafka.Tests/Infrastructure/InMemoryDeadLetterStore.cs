using System.Collections.Concurrent;
using CdcAspire.Pipeline.DeadLetters;

namespace CdcAspire.Kafka.Tests.Infrastructure;

/// <summary>Dead letters kept in memory; "durable" as soon as WriteAsync returns.</summary>
public sealed class InMemoryDeadLetterStore : IDeadLetterStore
{
    private readonly ConcurrentQueue<DeadLetter> letters = new();

    public IReadOnlyList<DeadLetter> Letters => [.. letters];

    public Task WriteAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        foreach (var letter in letters)
        {
            this.letters.Enqueue(letter);
        }

        return Task.CompletedTask;
    }
}
