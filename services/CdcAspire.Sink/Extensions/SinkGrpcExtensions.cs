using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.Sink.Grpc;
using CdcAspire.Sink.Hosting;

namespace CdcAspire.Sink.Extensions;

/// <summary>
/// The sink's gRPC API on Grpc.AspNetCore: <c>cdcaspire.sink.v1.SinkService</c> next to the shared health,
/// reflection and API-token setup of <see cref="GrpcApiExtensions"/>.
/// </summary>
public static class SinkGrpcExtensions
{
    public static WebApplicationBuilder AddSinkGrpc(this WebApplicationBuilder builder)
    {
        builder.AddGrpcApi();
        builder.Services.AddSingleton<PauseControl>();
        return builder;
    }

    public static WebApplication MapSinkGrpc(this WebApplication app)
    {
        app.MapGrpcApi();
        app.MapGrpcService<SinkGrpcService>();
        return app;
    }
}
