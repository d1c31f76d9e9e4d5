using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.Grpc.Server;
using CdcAspire.Grpc.Tests.Interop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.GrpcBench;

/// <summary>Our server on a loopback HTTP/2 cleartext port, serving Echo; configured as a service would be.</summary>
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
        builder.ConfigureGrpcKestrel();
        builder.Logging.ClearProviders();
        builder.Services.AddCdcGrpc();
        var app = builder.Build();
        app.MapGrpcService(InteropReflection.Descriptor.Services[0], s => s
            .Unary<EchoRequest, EchoResponse>("Echo", (r, _) => Task.FromResult(new EchoResponse { Text = r.Text })));
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
}
