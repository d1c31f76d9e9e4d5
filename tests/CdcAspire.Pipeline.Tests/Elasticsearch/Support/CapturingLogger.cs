using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Tests.Elasticsearch.Support;

/// <summary>Keeps every log line (level, event id, message, whether an exception came with it).</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message, bool HasException)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, eventId, formatter(state, exception), exception is not null));
}
