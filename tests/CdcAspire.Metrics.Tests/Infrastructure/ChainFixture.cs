using System.Globalization;
using CdcAspire.Metrics.V1;
using CdcAspire.Testing;
using CdcAspire.Testing.Elasticsearch;
using CdcAspire.Testing.Net;
using CdcAspire.Testing.Postgres;
using CdcAspire.Testing.Processes;
using Grpc.Net.Client;

namespace CdcAspire.Metrics.Tests.Infrastructure;

/// <summary>
/// The whole chain as separate processes, wired with the variables the AppHost injects: PostgreSQL (throwaway
/// cluster, seed schema), the Elasticsearch test server, the real sink, fake DLQ and consistency services (on their
/// protos), the metrics service, and a real Prometheus scraping it every second with the test copy of the rules.
/// </summary>
public sealed class ChainFixture : IAsyncLifetime
{
    public const string Database = "metricsdb";
    public const string Slot = "metrics_slot";
    public const string ElasticsearchUser = "elastic";
    public const string ElasticsearchPassword = "es-secret-metrics";

    private readonly Dictionary<string, string?> _sinkEnvironment = [];
    private ServiceProcess? _metrics;

    public PostgresCluster Postgres { get; private set; } = null!;

    public ElasticsearchTestServer Elasticsearch { get; private set; } = null!;

    public FakeServicesHost Fakes { get; private set; } = null!;

    public SinkProcess? Sink { get; private set; }

    public PrometheusServer Prometheus { get; private set; } = null!;

    public Uri MetricsHttp { get; private set; } = null!;

    public Uri SinkGrpc { get; private set; } = null!;

    public GrpcChannel MetricsChannel { get; private set; } = null!;

    public MetricsService.MetricsServiceClient Client => new(MetricsChannel);

    public string Logs => $"--- metrics ---\n{_metrics?.Tail}\n--- sink ---\n{SinkScenarioTail(Sink?.Output)}\n--- prometheus ---\n{Prometheus?.Tail}";

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Postgres = await PostgresCluster.StartAsync(cancellationToken: ct);
        var cs = await Postgres.CreateDatabaseAsync(Database, ct);
        await Postgres.ExecuteAsync(Database, SeedSchema.Ddl, ct);
        await Postgres.ExecuteAsync(Database, SeedSchema.SeedRows, ct);
        // A WAL retention limit, so safe_wal_size and the limit are exported (both are absent when unlimited).
        await Postgres.ExecuteAsync("postgres", "ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'", ct);
        await Postgres.ExecuteAsync("postgres", "SELECT pg_reload_conf()", ct);
        Elasticsearch = await ElasticsearchTestServer.StartAsync(new ElasticsearchTestServerOptions { Username = ElasticsearchUser, Password = ElasticsearchPassword }, ct);
        Fakes = await FakeServicesHost.StartAsync(ct);

        var esConnection = $"http://{ElasticsearchUser}:{ElasticsearchPassword}@{Elasticsearch.Uri.Host}:{Elasticsearch.Uri.Port}";
        var sinkGrpcPort = FreePort.Next();
        SinkGrpc = new Uri($"http://localhost:{sinkGrpcPort}");
        var e = _sinkEnvironment;
        e["ConnectionStrings__appdb"] = cs;
        e["ConnectionStrings__elasticsearch"] = esConnection;
        e["Cdc__SlotName"] = Slot;
        e["Cdc__PublicationName"] = Slot;
        // The heartbeat keeps an idle slot's lag bounded (without it confirmed_flush_lsn stays behind any WAL
        // written outside the publication, and the time-based lag grows forever); between beats the WAL stands still
        // long enough to compare numbers at one moment.
        e["Cdc__HeartbeatInterval"] = "00:00:02";
        e["Cdc__IndexTemplatesPath"] = Path.Combine(Repository.Root, "index-templates");
        e["Cdc__Grpc__Port"] = sinkGrpcPort.ToString(CultureInfo.InvariantCulture);
        foreach (var table in SeedSchema.Tables)
        {
            e[$"Cdc__Tables__public.{table}__Index"] = table;
        }

        StartSink();

        var httpPort = FreePort.Next();
        var grpcPort = FreePort.Next();
        MetricsHttp = new Uri($"http://127.0.0.1:{httpPort}/");
        var dll = Repository.BuiltAssembly("services/CdcAspire.Metrics", "CdcAspire.Metrics.dll");
        _metrics = ServiceProcess.Start("dotnet", [dll], new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = MetricsHttp.ToString().TrimEnd('/'),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Cdc__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}",
            ["ConnectionStrings__appdb"] = cs,
            ["ConnectionStrings__elasticsearch"] = esConnection,
            ["Cdc__SlotName"] = Slot,
            ["Cdc__PublicationName"] = Slot,
            ["services__sink__grpc__0"] = SinkGrpc.ToString().TrimEnd('/'),
            ["services__dlq__grpc__0"] = Fakes.Address.ToString().TrimEnd('/'),
            ["services__consistency__grpc__0"] = Fakes.Address.ToString().TrimEnd('/'),
            ["Metrics__Interval"] = "00:00:00.5",
            ["Metrics__ProbeTimeout"] = "00:00:02",
        }, Path.GetDirectoryName(dll));
        MetricsChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Prometheus = await PrometheusServer.StartAsync(MetricsHttp, ct);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await Client.GetHealthAsync(new GetHealthRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
                return true;
            }
            catch (Grpc.Core.RpcException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => "the metrics service's gRPC API\n" + Logs, ct);
    }

    /// <summary>Starts the sink (again); it resumes from its slot.</summary>
    public SinkProcess StartSink()
    {
        Sink = SinkProcess.Start(_sinkEnvironment);
        return Sink;
    }

    public async Task StopSinkAsync()
    {
        if (Sink is { } sink)
        {
            await sink.DisposeAsync();
        }
    }

    public async Task<HealthReport> NextReportAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        using var call = Client.Watch(new WatchRequest(), cancellationToken: cts.Token);
        // The first message is the current report; the second one is collected after this call began.
        await call.ResponseStream.MoveNext(cts.Token);
        await call.ResponseStream.MoveNext(cts.Token);
        return call.ResponseStream.Current;
    }

    public async ValueTask DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        MetricsChannel?.Dispose();
        if (_metrics is not null)
        {
            await _metrics.DisposeAsync();
        }

        await StopSinkAsync();
        if (Fakes is not null)
        {
            await Fakes.DisposeAsync();
        }

        if (Elasticsearch is not null)
        {
            await Elasticsearch.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }

    private static string SinkScenarioTail(string? output) =>
        output is null ? "(no sink)" : string.Join('\n', output.Split('\n').TakeLast(30));
}
