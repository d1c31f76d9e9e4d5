using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Kafka.Tests.Infrastructure;

/// <summary>Keeps every formatted log line (and exception text) so tests can check what was, or was not, logged.</summary>
public sealed class CollectingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{eventId.Id} {formatter(state, exception)} {exception}");
}
