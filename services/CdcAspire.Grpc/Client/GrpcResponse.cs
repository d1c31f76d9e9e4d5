namespace CdcAspire.Grpc.Client;

/// <summary>A unary call's response with the metadata that came with it.</summary>
public sealed record GrpcResponse<TResponse>(TResponse Message, Metadata ResponseHeaders, Metadata Trailers);
