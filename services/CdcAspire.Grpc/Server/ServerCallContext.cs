using Microsoft.AspNetCore.Http;

namespace CdcAspire.Grpc.Server;

/// <summary>
/// What a handler knows about its call. Shaped like Grpc.Core's ServerCallContext so handlers move unchanged
/// should Grpc.AspNetCore become available.
/// </summary>
public sealed class ServerCallContext
{
    private readonly ServerCall _call;

    internal ServerCallContext(ServerCall call, string service, string method, Metadata requestHeaders,
        DateTime deadline, CancellationToken cancellationToken)
    {
        _call = call;
        Service = service;
        Method = method;
        RequestHeaders = requestHeaders;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>Full service name, e.g. <c>cdcaspire.sink.v1.SinkService</c>.</summary>
    public string Service { get; }

    /// <summary>Method name, e.g. <c>GetStatus</c>.</summary>
    public string Method { get; }

    /// <summary>The caller's custom metadata (protocol headers removed; <c>authorization</c> kept).</summary>
    public Metadata RequestHeaders { get; }

    /// <summary>Trailing metadata sent with the final status (also when the handler throws RpcException).</summary>
    public Metadata ResponseTrailers { get; } = [];

    /// <summary>The caller's deadline in UTC, or <see cref="DateTime.MaxValue"/> when it set none.</summary>
    public DateTime Deadline { get; }

    /// <summary>
    /// Fires when the caller cancels or disconnects, when the deadline passes, or when the server shuts down.
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The caller's address, in gRPC's form (<c>ipv4:127.0.0.1:50432</c>).</summary>
    public string Peer => _call.Peer;

    /// <summary>The underlying request, for what this layer does not model (e.g. the client certificate).</summary>
    public HttpContext HttpContext => _call.HttpContext;

    /// <summary>Sends response headers now, with this metadata; at most once, before the first message.</summary>
    public Task WriteResponseHeadersAsync(Metadata responseHeaders) => _call.WriteHeadersAsync(responseHeaders);
}
