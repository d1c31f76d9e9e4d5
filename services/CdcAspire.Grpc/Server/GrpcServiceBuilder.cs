using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CdcAspire.Grpc.Server;

/// <summary>
/// Binds handlers to the methods of a protobuf service. Each binding is checked against the descriptor at
/// startup (method exists, request/response types and streaming kind match), so a mismatch with the .proto fails
/// the service at start rather than on the first call. Methods left unbound answer UNIMPLEMENTED.
/// </summary>
public sealed class GrpcServiceBuilder
{
    private readonly Dictionary<string, GrpcMethodEntry> _methods = new(StringComparer.Ordinal);

    internal GrpcServiceBuilder(ServiceDescriptor service) => Service = service;

    public ServiceDescriptor Service { get; }

    internal IReadOnlyCollection<GrpcMethodEntry> Methods => _methods.Values;

    public GrpcServiceBuilder Unary<TRequest, TResponse>(
        string method, UnaryServerMethod<TRequest, TResponse> handler, MethodAuth auth = MethodAuth.Anonymous)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        Validate<TRequest, TResponse>(method, serverStreaming: false);
        _methods.Add(method, new UnaryMethodEntry<TRequest, TResponse>(method, auth, handler));
        return this;
    }

    public GrpcServiceBuilder ServerStreaming<TRequest, TResponse>(
        string method, ServerStreamingServerMethod<TRequest, TResponse> handler, MethodAuth auth = MethodAuth.Anonymous)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        Validate<TRequest, TResponse>(method, serverStreaming: true);
        _methods.Add(method, new ServerStreamingMethodEntry<TRequest, TResponse>(method, auth, handler));
        return this;
    }

    private void Validate<TRequest, TResponse>(string method, bool serverStreaming)
    {
        var descriptor = Service.FindMethodByName(method)
            ?? throw new ArgumentException($"Service {Service.FullName} has no method '{method}'; check the .proto file.", nameof(method));
        if (descriptor.IsClientStreaming || descriptor.IsServerStreaming != serverStreaming)
        {
            var kind = descriptor.IsClientStreaming ? "client-streaming (not supported)" : descriptor.IsServerStreaming ? "server-streaming" : "unary";
            throw new ArgumentException($"{Service.FullName}/{method} is {kind} in the .proto file; bind it with the matching method.", nameof(method));
        }

        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{Service.FullName}/{method} takes {descriptor.InputType.FullName} and returns {descriptor.OutputType.FullName}, " +
                $"not {typeof(TRequest).Name} and {typeof(TResponse).Name}.", nameof(method));
        }

        if (_methods.ContainsKey(method))
        {
            throw new ArgumentException($"{Service.FullName}/{method} is bound twice.", nameof(method));
        }
    }
}
