using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CdcAspire.Grpc.Client;

/// <summary>
/// A method a client calls, resolved from the service descriptor so the path and message types are checked
/// against the .proto once, e.g. <c>GrpcMethod.Unary&lt;GetStatusRequest, StatusResponse&gt;(service, "GetStatus")</c>.
/// </summary>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>, new()
{
    internal GrpcMethod(string service, string name, bool serverStreaming)
    {
        Service = service;
        Name = name;
        IsServerStreaming = serverStreaming;
        Path = "/" + service + "/" + name;
    }

    /// <summary>Full service name, e.g. <c>cdcaspire.sink.v1.SinkService</c>.</summary>
    public string Service { get; }

    public string Name { get; }

    /// <summary>HTTP/2 path, <c>/{package.Service}/{Method}</c>.</summary>
    public string Path { get; }

    public bool IsServerStreaming { get; }

    internal MessageParser<TResponse> ResponseParser { get; } = new(() => new TResponse());
}

/// <summary>Factories for <see cref="GrpcMethod{TRequest, TResponse}"/>.</summary>
public static class GrpcMethod
{
    public static GrpcMethod<TRequest, TResponse> Unary<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() =>
        Create<TRequest, TResponse>(service, name, serverStreaming: false);

    public static GrpcMethod<TRequest, TResponse> ServerStreaming<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() =>
        Create<TRequest, TResponse>(service, name, serverStreaming: true);

    /// <summary>A method by path only, unchecked: for calling what the local .proto does not describe.</summary>
    public static GrpcMethod<TRequest, TResponse> Unchecked<TRequest, TResponse>(string service, string name, bool serverStreaming)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() =>
        new(service, name, serverStreaming);

    private static GrpcMethod<TRequest, TResponse> Create<TRequest, TResponse>(ServiceDescriptor service, string name, bool serverStreaming)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(service);
        var method = service.FindMethodByName(name)
            ?? throw new ArgumentException($"Service {service.FullName} has no method '{name}'.", nameof(name));
        if (method.IsClientStreaming || method.IsServerStreaming != serverStreaming)
        {
            throw new ArgumentException($"{service.FullName}/{name} has a different streaming kind in the .proto file.", nameof(name));
        }

        if (method.InputType.ClrType != typeof(TRequest) || method.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{service.FullName}/{name} takes {method.InputType.FullName} and returns {method.OutputType.FullName}.", nameof(name));
        }

        return new(service.FullName, name, serverStreaming);
    }
}
