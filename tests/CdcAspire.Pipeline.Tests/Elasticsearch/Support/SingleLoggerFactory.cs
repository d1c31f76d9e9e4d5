using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Tests.Elasticsearch.Support;

/// <summary>Hands one logger out for every category, so a test sees the pipeline's, the lanes' and the template guard's logs together.</summary>
internal sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
