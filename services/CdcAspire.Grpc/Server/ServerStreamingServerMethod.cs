namespace CdcAspire.Grpc.Server;

/// <summary>Handler of a server-streaming method (Grpc.Core's signature).</summary>
public delegate Task ServerStreamingServerMethod<in TRequest, out TResponse>(
    TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
