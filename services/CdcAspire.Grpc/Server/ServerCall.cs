using CdcAspire.Grpc.Protocol;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace CdcAspire.Grpc.Server;

/// <summary>
/// One inbound call on the wire: reads the request message, writes headers, messages and the final status.
/// Headers go out with the first message; a call that ends before any message gets a Trailers-Only response
/// (status in the headers), as the protocol prescribes.
/// </summary>
internal sealed class ServerCall
{
    private readonly GrpcServerOptions _options;
    private bool _headersSent;
    private bool _completed;

    public ServerCall(HttpContext httpContext, GrpcServerOptions options)
    {
        HttpContext = httpContext;
        _options = options;
        var connection = httpContext.Connection;
        Peer = connection.RemoteIpAddress is null
            ? "unknown"
            : $"{(connection.RemoteIpAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4")}:{connection.RemoteIpAddress}:{connection.RemotePort}";
    }

    public HttpContext HttpContext { get; }

    public string Peer { get; }

    public CancellationToken CancellationToken { get; set; }

    public async Task<T> ReadSingleRequestAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var encoding = HttpContext.Request.Headers[GrpcProtocol.EncodingHeader].ToString();
        var body = HttpContext.Request.Body;
        var message = await MessageFraming.ReadAsync(body, parser, encoding, _options.MaxReceiveMessageSize,
            StatusCode.Unimplemented, CancellationToken)
            ?? throw new RpcException(StatusCode.Internal, "The request ended without a message.");

        // Unary and server-streaming calls carry exactly one request message.
        var extra = await MessageFraming.ReadAsync(body, parser, encoding, _options.MaxReceiveMessageSize,
            StatusCode.Unimplemented, CancellationToken);
        return extra is null
            ? message
            : throw new RpcException(StatusCode.Internal, "The request carried more than one message for a method that takes one.");
    }

    public async Task WriteHeadersAsync(Metadata? headers)
    {
        if (_headersSent)
        {
            throw new InvalidOperationException("Response headers have already been sent for this call.");
        }

        if (headers is not null)
        {
            foreach (var entry in headers)
            {
                HttpContext.Response.Headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }

        _headersSent = true;
        await HttpContext.Response.StartAsync(CancellationToken);
    }

    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var frame = MessageFraming.Frame(message, _options.MaxSendMessageSize);
        if (!_headersSent)
        {
            await WriteHeadersAsync(null);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken, cancellationToken);
        var result = await HttpContext.Response.BodyWriter.WriteAsync(frame, linked.Token);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("The response stream was closed.", linked.Token);
        }
    }

    /// <summary>Sends the status: in the trailers, or in the headers of a Trailers-Only response.</summary>
    public void Complete(StatusCode status, string? detail, Metadata trailers)
    {
        _completed = true;
        var response = HttpContext.Response;
        Action<string, string> add = _headersSent
            ? (name, value) => response.AppendTrailer(name, value)
            : (name, value) => response.Headers.Append(name, value);

        add(GrpcProtocol.StatusHeader, ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(detail))
        {
            add(GrpcProtocol.MessageHeader, PercentEncoding.Encode(detail));
        }

        foreach (var entry in trailers)
        {
            add(entry.Key, MetadataHeaders.ToHeaderValue(entry));
        }
    }
}
