using System.Diagnostics.Metrics;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Hosting;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.State;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdcAspire.Benchmarks;

/// <summary>
/// The real pipeline in this process, wired as the sink wires it (PipelineHost, SinkExtensions): PostgresChangeSource,
/// SearchClusterClient over HttpClient, DeadLetterWriter over PostgresDeadLetterStore, default writer options.
/// </summary>
internal sealed class InProcessPipeline : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly PostgresConnections _connections;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly IChangeSource _source;
    private Task? _run;

    private InProcessPipeline(ServiceProvider services, PostgresConnections connections, HttpClient http, IChangeSource source, CdcOptions options,
        PipelineMetrics metrics, PipelineObserver observer, SearchClusterClient elasticsearch, DeadLetterWriter deadLetters)
    {
        _services = services;
        _connections = connections;
        _http = http;
        _source = source;
        Options = options;
        Metrics = metrics;
        Pipeline = new ChangePipeline(source, elasticsearch, deadLetters, options, observer, NullLoggerFactory.Instance, TimeProvider.System);
    }

    public CdcOptions Options { get; }

    public PipelineMetrics Metrics { get; }

    public ChangePipeline Pipeline { get; }

    /// <summary>The meter factory of this pipeline only: a MeterListener can tell its instruments from other runs'.</summary>
    public IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    public static CdcOptions OptionsFor(string slot, string index) => new()
    {
        SlotName = slot,
        PublicationName = BenchDatabase.Publication,
        HeartbeatInterval = TimeSpan.Zero, // no WAL of our own: only the burst's commit may move the slot past the mark
        Tables = { [$"public.{BenchDatabase.Table}"] = new TableOptions { Index = index } },
    };

    /// <summary>A pipeline on the Postgres source. <paramref name="source"/> replaces it (e.g. an in-memory source).</summary>
    public static InProcessPipeline Create(string connectionString, Uri elasticsearch, CdcOptions options, Func<PostgresConnections, PipelineStatus, IChangeSource>? source = null)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var status = new PipelineStatus();
        var metrics = new PipelineMetrics(services.GetRequiredService<IMeterFactory>(), status);
        var observer = new PipelineObserver(metrics, status);
        var connections = new PostgresConnections(connectionString);
        var http = new HttpClient { Timeout = options.Writer.RequestTimeout };
        var client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(elasticsearch.ToString()), options.Writer.RequestTimeout, options.Writer.HttpCompression);
        var deadLetters = new DeadLetterWriter(new PostgresDeadLetterStore(connections.DataSource, options.StateSchema), observer, options.Writer, NullLogger.Instance);
        var changeSource = source?.Invoke(connections, status)
            ?? new PostgresChangeSource(connections, new PostgresStateStore(connections.DataSource, options.StateSchema), options, status, NullLogger.Instance);
        return new InProcessPipeline(services, connections, http, changeSource, options, metrics, observer, client, deadLetters);
    }

    public void Start() => _run = Task.Run(() => Pipeline.RunAsync(_stop.Token));

    /// <summary>Fails fast when the run ended early (a pipeline failure must not look like a slow run).</summary>
    public void ThrowIfFailed()
    {
        if (_run is { IsCompleted: true })
        {
            _run.GetAwaiter().GetResult();
            throw new InvalidOperationException("The pipeline stopped on its own.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        await _source.DisposeAsync();
        _http.Dispose();
        await _connections.DisposeAsync();
        await _services.DisposeAsync();
        _stop.Dispose();
    }
}
