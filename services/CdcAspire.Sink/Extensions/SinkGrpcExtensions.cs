using CdcAspire.Grpc.Server;
using CdcAspire.Sink.Grpc;
using V1 = CdcAspire.Sink.V1;

namespace CdcAspire.Sink.Extensions;

/// <summary>The sink's gRPC API and the standard health service.</summary>
public static class SinkGrpcExtensions
{
    public static IServiceCollection AddSinkGrpc(this IServiceCollection services)
    {
        services.AddCdcGrpc();
        services.AddSingleton<SinkGrpcService>();
        return services;
    }

    public static WebApplication MapSinkGrpc(this WebApplication app)
    {
        var service = app.Services.GetRequiredService<SinkGrpcService>();
        app.MapGrpcHealthChecks();
        app.MapGrpcService(V1.SinkReflection.Descriptor.Services[0], s => s
            .Unary<V1.GetStatusRequest, V1.StatusResponse>("GetStatus", service.GetStatus)
            .Unary<V1.PauseRequest, V1.PauseResponse>("Pause", service.Pause, MethodAuth.BearerToken)
            .Unary<V1.ResumeRequest, V1.ResumeResponse>("Resume", service.Resume, MethodAuth.BearerToken)
            .ServerStreaming<V1.WatchRequest, V1.StatusResponse>("Watch", service.Watch));
        return app;
    }
}
