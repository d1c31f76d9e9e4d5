using CdcAspire.Grpc.Diagnostics;
using CdcAspire.Grpc.Health;
using CdcAspire.Grpc.Health.V1;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Grpc.Server;

/// <summary>
/// The seam where Grpc.AspNetCore would replace this library: <c>MapGrpcService(descriptor, ...)</c> becomes
/// <c>MapGrpcService&lt;TService&gt;()</c>, and the handlers keep their Grpc.Core signatures.
/// </summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /{package.Service}/{Method}</c> for each bound method, UNIMPLEMENTED for the service's other
    /// methods, and (once) UNIMPLEMENTED for unknown services. The returned builder applies conventions to all of
    /// them, e.g. <c>.RequireHost("*:5081")</c> to serve gRPC only on the gRPC endpoint.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService(
        this IEndpointRouteBuilder endpoints, ServiceDescriptor service, Action<GrpcServiceBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new GrpcServiceBuilder(service);
        configure(builder);

        var handler = endpoints.ServiceProvider.GetService<ServerCallHandler>()
            ?? throw new InvalidOperationException("Call services.AddCdcGrpc() before mapping gRPC services.");
        var group = endpoints.MapGroup("/" + service.FullName);
        foreach (var method in builder.Methods)
        {
            group.MapPost("/" + method.Name, http => handler.HandleAsync(http, service.FullName, method))
                .WithDisplayName($"gRPC {service.FullName}/{method.Name}");
        }

        group.MapPost("/{method}", http => Unimplemented(http, $"Method is unimplemented: {service.FullName}/{http.GetRouteValue("method")}."))
            .WithDisplayName($"gRPC {service.FullName} unimplemented method");

        var marker = endpoints.ServiceProvider.GetRequiredService<UnimplementedEndpointMarker>();
        if (!marker.Mapped)
        {
            marker.Mapped = true;
            endpoints.MapPost("/{service}/{method}", http => Unimplemented(http, $"Service is unimplemented: {http.GetRouteValue("service")}."))
                .WithDisplayName("gRPC unimplemented service");
        }

        return group;
    }

    /// <summary>
    /// Maps <c>grpc.health.v1.Health</c> (Check and Watch) over ASP.NET Core's <c>HealthCheckService</c>: service ""
    /// is every registered check; another name selects the checks with that name or tag.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var health = endpoints.ServiceProvider.GetRequiredService<GrpcHealthService>();
        return endpoints.MapGrpcService(HealthReflection.Descriptor.Services[0], s => s
            .Unary<HealthCheckRequest, HealthCheckResponse>("Check", health.CheckAsync)
            .ServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", health.WatchAsync));
    }

    private static Task Unimplemented(HttpContext http, string detail)
    {
        if (!ServerProtocol.AcceptRequest(http))
        {
            return Task.CompletedTask;
        }

        var logger = http.RequestServices.GetRequiredService<ILogger<ServerCallHandler>>();
        Log.Unimplemented(logger, http.Request.Path);
        ServerProtocol.WriteUnimplemented(http, detail);
        return Task.CompletedTask;
    }
}
