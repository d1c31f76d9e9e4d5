using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.Grpc.Tests.Infrastructure;

/// <summary>One server with the interop service and health checks, shared by a test class.</summary>
public sealed class InteropServerFixture : IAsyncLifetime
{
    internal InteropService Service { get; } = new();

    internal ToggleHealthCheck Toggle { get; } = new();

    internal TestGrpcServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Server = await TestGrpcServer.StartAsync(Service.Map, services => services.AddHealthChecks()
            .AddCheck("sink", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy())
            .AddCheck("toggle", Toggle));

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
