using System.Net;
using CdcAspire.Testing.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Metrics.Tests.Infrastructure;

/// <summary>A gRPC server (Grpc.AspNetCore, HTTP/2 cleartext on loopback) hosting the fake DLQ and consistency services.</summary>
public sealed class FakeServicesHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeServicesHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public FakeDlqService Dlq => _app.Services.GetRequiredService<FakeDlqService>();

    public FakeConsistencyService Consistency => _app.Services.GetRequiredService<FakeConsistencyService>();

    public static async Task<FakeServicesHost> StartAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<FakeDlqService>();
        builder.Services.AddSingleton<FakeConsistencyService>();
        var app = builder.Build();
        app.MapGrpcService<FakeDlqService>();
        app.MapGrpcService<FakeConsistencyService>();
        await app.StartAsync(cancellationToken);
        return new FakeServicesHost(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
