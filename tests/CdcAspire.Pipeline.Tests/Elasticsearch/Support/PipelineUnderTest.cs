using System.Diagnostics.Metrics;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Hosting;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Tests.Elasticsearch.Support;

/// <summary>The real ChangePipeline over a <see cref="ScriptedSource"/> and a SearchClusterClient, as the sink wires it.</summary>
internal sealed class PipelineUnderTest : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public PipelineUnderTest(string connectionString, Action<CdcOptions>? configure = null, ILogger? logger = null)
    {
        Options = new CdcOptions { Tables = { ["public.things"] = new TableOptions { Index = "things" } } };
        Options.Writer.InitialRetryDelay = TimeSpan.FromMilliseconds(20);
        Options.Writer.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
        Options.Writer.RequestTimeout = TimeSpan.FromSeconds(5);
        configure?.Invoke(Options);
        Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Status = new PipelineStatus();
        var metrics = new PipelineMetrics(_services.GetRequiredService<IMeterFactory>(), Status);
        Client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(connectionString), Options.Writer.RequestTimeout, Options.Writer.HttpCompression, Logger);
        var observer = new PipelineObserver(metrics, Status);
        var deadLetters = new DeadLetterWriter(DeadLetters, observer, Options.Writer, Logger);
        var pipeline = new ChangePipeline(Source, Client, deadLetters, Options, observer, new SingleLoggerFactory(Logger), TimeProvider.System);
        _run = Task.Run(() => pipeline.RunAsync(_stop.Token));
    }

    public CdcOptions Options { get; }

    public ILogger Logger { get; }

    public ScriptedSource Source { get; } = new();

    public MemoryDeadLetters DeadLetters { get; } = new();

    public PipelineStatus Status { get; }

    public SearchClusterClient Client { get; }

    /// <summary>Waits for <paramref name="condition"/>, failing fast if the run ended.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (_run.IsCompleted)
            {
                await _run;
                Assert.Fail($"The pipeline stopped while waiting for {what}.");
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {timeout} waiting for {what}.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await _services.DisposeAsync();
        _stop.Dispose();
    }
}
