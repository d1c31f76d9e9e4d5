using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.Grpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Grpc.Tests.Infrastructure;

/// <summary>Our gRPC server on a real Kestrel loopback port (HTTP/2 cleartext), configured like a service.</summary>
internal sealed class TestGrpcServer : IAsyncDisposable
{
    public const string Token = "test-token-7f3a9c";

    private readonly WebApplication _app;

    private TestGrpcServer(WebApplication app, Uri address, LogCollector logs)
    {
        _app = app;
        Address = address;
        Logs = logs;
    }

    public Uri Address { get; }

    /// <summary>host:port, the form python's grpc.insecure_channel takes.</summary>
    public string Target => $"{Address.Host}:{Address.Port}";

    public LogCollector Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestGrpcServer> StartAsync(
        Action<IEndpointRouteBuilder> map, Action<IServiceCollection>? services = null, string? token = Token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cdc:Grpc:Url"] = "http://127.0.0.1:0",
            ["Cdc:Grpc:HttpUrls"] = string.Empty,
            ["Cdc:Api:Token"] = token,
            ["Cdc:Grpc:Server:HealthWatchInterval"] = "00:00:00.050",
        });
        builder.ConfigureGrpcKestrel();
        var logs = new LogCollector();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddCdcGrpc();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapGrpcHealthChecks();
        map(app);
        using var cts = new CancellationTokenSource(TestTimeouts.Call);
        await app.StartAsync(cts.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestGrpcServer(app, new Uri(address), logs);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Call);
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
