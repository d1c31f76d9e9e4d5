using CdcAspire.Metrics.V1;
using CdcAspire.Testing;
using CdcAspire.Testing.KafkaConnect;
using CdcAspire.Testing.Net;
using Grpc.Net.Client;

namespace CdcAspire.Metrics.Tests.Infrastructure;

/// <summary>
/// The metrics service (a process) watching only a Kafka Connect worker, the REST double with one connector, and a
/// real Prometheus scraping it with the test copy of the rules. Nothing else is configured, so every other component
/// is "not configured" and cannot disturb what the Connect probe reports.
/// </summary>
public sealed class ConnectFixture : IAsyncLifetime
{
    public const string Connector = "postgres-source";

    private ServiceProcess? _metrics;

    public KafkaConnectDouble Connect { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public GrpcChannel MetricsChannel { get; private set; } = null!;

    public MetricsService.MetricsServiceClient Client => new(MetricsChannel);

    public string Logs => $"--- metrics ---\n{_metrics?.Tail}\n--- prometheus ---\n{Prometheus?.Tail}\n--- connect requests ---\n{string.Join('\n', Connect?.Requests.TakeLast(10) ?? [])}";

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Connect = await KafkaConnectDouble.StartAsync();
        Connect.Connectors[Connector] = new Dictionary<string, string> { ["connector.class"] = "io.debezium.connector.postgresql.PostgresConnector" };
        Connect.TaskStates[Connector] = ["RUNNING", "RUNNING"];

        var httpPort = FreePort.Next();
        var grpcPort = FreePort.Next();
        var http = new Uri($"http://127.0.0.1:{httpPort}/");
        var dll = Repository.BuiltAssembly("services/CdcAspire.Metrics", "CdcAspire.Metrics.dll");
        _metrics = ServiceProcess.Start("dotnet", [dll], new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = http.ToString().TrimEnd('/'),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Cdc__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Cdc__KafkaConnect__Url"] = Connect.Url.ToString(),
            ["Metrics__Interval"] = "00:00:00.5",
            ["Metrics__ProbeTimeout"] = "00:00:02",
        }, Path.GetDirectoryName(dll));
        MetricsChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Prometheus = await PrometheusServer.StartAsync(http, ct);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                var report = await Client.GetHealthAsync(new GetHealthRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
                return report.Components.Any(c => c.Name == "kafka-connect:" + Connector);
            }
            catch (Grpc.Core.RpcException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => "the metrics service reporting the connector\n" + Logs, ct);
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

        if (Connect is not null)
        {
            await Connect.DisposeAsync();
        }
    }
}
