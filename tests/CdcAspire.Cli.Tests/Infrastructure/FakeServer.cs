using CdcAspire.ServiceDefaults.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Cli.Tests.Infrastructure;

/// <summary>
/// A fake service on a real Kestrel loopback port, set up the way every CdcAspire service is (ServiceDefaults'
/// <c>AddGrpcApi</c>: HTTP/2 cleartext gRPC, the API-token scheme and policy), so the CLI meets the real
/// authentication and wire behaviour.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    public const string Token = "test-token-7f3a9c";

    private readonly WebApplication _app;

    private FakeServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public string Url => Address.ToString();

    public static async Task<FakeServer> StartAsync(Action<IServiceCollection> services, Action<IEndpointRouteBuilder> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cdc:Grpc:Url"] = "http://127.0.0.1:0",
            ["Cdc:Grpc:HttpUrls"] = string.Empty,
            ["Cdc:Api:Token"] = Token,
        });
        builder.Logging.ClearProviders();
        builder.AddGrpcApi();
        services(builder.Services);
        var app = builder.Build();
        app.MapGrpcApi();
        map(app);
        return await StartAsync(app);
    }

    /// <summary>An HTTP/1.1-only endpoint, like a service's health and /status port.</summary>
    public static async Task<FakeServer> StartHttp11Async()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => GrpcKestrelExtensions.Listen(k, new Uri("http://127.0.0.1:0"),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1, null));
        var app = builder.Build();
        app.MapGet("/status", () => "{}");
        return await StartAsync(app);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Call);
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }

    private static async Task<FakeServer> StartAsync(WebApplication app)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Call);
        await app.StartAsync(cts.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new FakeServer(app, new Uri(address));
    }
}
