using Microsoft.Extensions.Logging;

namespace CdcAspire.AppHost.Diagnostics;

/// <summary>Routes a library's typed logger (e.g. the Kafka Connect client's) to a resource's log in the dashboard.</summary>
internal sealed class ResourceLogger<T>(ILogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
