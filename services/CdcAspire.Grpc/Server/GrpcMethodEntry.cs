namespace CdcAspire.Grpc.Server;

/// <summary>A registered method: its name, who may call it, and how to run it on a call.</summary>
internal abstract class GrpcMethodEntry(string name, MethodAuth auth)
{
    public string Name { get; } = name;

    public MethodAuth Auth { get; } = auth;

    public abstract Task InvokeAsync(ServerCall call, ServerCallContext context);
}
