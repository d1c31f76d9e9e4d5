namespace CdcAspire.Grpc.Server;

/// <summary>Handler of a unary method (Grpc.Core's signature).</summary>
public delegate Task<TResponse> UnaryServerMethod<in TRequest, TResponse>(TRequest request, ServerCallContext context);
