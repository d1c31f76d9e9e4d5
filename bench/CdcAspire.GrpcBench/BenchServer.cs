using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.Sink.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.GrpcBench;

/// <summary>
/// The sink's gRPC stack on a loopback HTTP/2 cleartext port (ServiceDefaults' <c>AddGrpcApi</c>/<c>MapGrpcApi</c>:
/// Grpc.AspNetCore, authentication and authorization middleware, health, reflection), serving
/// <c>SinkService.GetStatus</c> with a three-table status like the real sink's. No pipeline behind it: the
/// benchmark measures the RPC path, not PostgreSQL.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<BenchServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cdc:Grpc:Url"] = "http://127.0.0.1:0",
            ["Cdc:Grpc:HttpUrls"] = string.Empty,
        });
        builder.Logging.ClearProviders();
        builder.AddGrpcApi();
        var app = builder.Build();
        app.MapGrpcApi();
        app.MapGrpcService<StatusOnlySink>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(cts.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new BenchServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }

    private sealed class StatusOnlySink : SinkService.SinkServiceBase
    {
        private static readonly StatusResponse Status = CreateStatus();

        public override Task<StatusResponse> GetStatus(GetStatusRequest request, ServerCallContext context) => Task.FromResult(Status);

        private static StatusResponse CreateStatus()
        {
            var status = new StatusResponse
            {
                Pipeline = new PipelineStatus { Source = "cdcaspire", Phase = Phase.Streaming, AcknowledgedPosition = "0/16B3748", LagBytes = 2048 },
            };
            foreach (var name in new[] { "orders", "products", "users" })
            {
                status.Tables.Add(new TableStatus
                {
                    Schema = "public",
                    Name = name,
                    Index = name,
                    Phase = Phase.Streaming,
                    Snapshot = new SnapshotProgress { RowsDone = 100_000, RowsEstimated = 100_000 },
                    Counters = new TableCounters { Received = 1_234_567, Indexed = 1_234_000, Deleted = 500, Superseded = 60, DeadLettered = 7 },
                });
            }

            return status;
        }
    }
}
