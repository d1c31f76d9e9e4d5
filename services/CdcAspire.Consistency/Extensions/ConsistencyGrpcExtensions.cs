using CdcAspire.Consistency.Grpc;

namespace CdcAspire.Consistency.Extensions;

public static class ConsistencyGrpcExtensions
{
    /// <summary>Maps <c>cdcaspire.consistency.v1.ConsistencyService</c> next to health and reflection.</summary>
    public static WebApplication MapConsistencyGrpc(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<ConsistencyGrpcService>();
        return app;
    }
}
