using CdcAspire.Grpc.Diagnostics;
using Google.Protobuf;

namespace CdcAspire.Grpc.Client;

/// <summary>
/// A client for one server address over HttpClient with HTTP/2 (prior knowledge for http://, ALPN for https://).
/// Thread-safe and meant to be reused: HTTP/2 multiplexes calls over pooled connections.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly bool _ownsHttpClient;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        Options = options;
        Metrics = options.MeterFactory is null ? GrpcMetrics.Shared : new GrpcMetrics(options.MeterFactory);
        if (options.HttpClient is not null)
        {
            HttpClient = options.HttpClient;
        }
        else
        {
            var handler = options.HttpHandler ?? new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                // gRPC messages carry their own compression; HTTP content decoding must not touch them.
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            };
            // Deadlines are per call (grpc-timeout); HttpClient's own 100 s timeout would cut long streams.
            HttpClient = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            _ownsHttpClient = true;
        }
    }

    /// <summary>The server's base address; always ends with '/'.</summary>
    public Uri Address { get; }

    internal GrpcChannelOptions Options { get; }

    internal HttpClient HttpClient { get; }

    internal GrpcMetrics Metrics { get; }

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address, UriKind.Absolute), options);

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"'{address}' is not an http:// or https:// address.", nameof(address));
        }

        var baseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        return new GrpcChannel(baseAddress, options ?? new GrpcChannelOptions());
    }

    /// <summary>Calls a unary method and returns its response message; a non-OK status throws RpcException.</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() =>
        (await UnaryCallAsync(method, request, options)).Message;

    /// <summary>Calls a unary method and returns the response with its headers and trailers.</summary>
    public async Task<GrpcResponse<TResponse>> UnaryCallAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        using var call = new ClientCall<TResponse>(this, method.Service, method.Name, method.ResponseParser, request, options, default);
        await call.StartAsync();
        var response = await call.ReadNextAsync()
            ?? throw new RpcException(StatusCode.Internal, $"{method.Path} ended with OK but without a response message.");
        return await call.ReadNextAsync() is null
            ? new GrpcResponse<TResponse>(response, call.ResponseHeaders, call.Trailers)
            : throw new RpcException(StatusCode.Internal, $"{method.Path} returned more than one message for a unary call.");
    }

    /// <summary>A server-streaming call; it starts when enumerated.</summary>
    public GrpcStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        return new GrpcStreamingCall<TResponse>(token =>
            new ClientCall<TResponse>(this, method.Service, method.Name, method.ResponseParser, request, options, token));
    }

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            HttpClient.Dispose();
        }
    }
}
