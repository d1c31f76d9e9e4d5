using CdcAspire.Grpc.Diagnostics;
using CdcAspire.Grpc.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdcAspire.Grpc.Server;

public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gRPC server: options (<c>Cdc:Grpc:Server</c>, <c>Cdc:Api</c>), token validation, metrics and
    /// the health service. Together with <see cref="GrpcEndpointRouteBuilderExtensions.MapGrpcService"/> this is the
    /// seam where Grpc.AspNetCore's <c>AddGrpc()</c> would take over.
    /// </summary>
    public static IServiceCollection AddCdcGrpc(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddHealthChecks();
        services.AddOptions<GrpcServerOptions>()
            .BindConfiguration(GrpcServerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<GrpcApiOptions>().BindConfiguration(GrpcApiOptions.SectionName);
        services.TryAddSingleton<GrpcMetrics>();
        services.TryAddSingleton<BearerTokenValidator>();
        services.TryAddSingleton<ServerCallHandler>();
        services.TryAddSingleton<GrpcHealthService>();
        services.TryAddSingleton<UnimplementedEndpointMarker>();
        return services;
    }
}
