using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace CdcAspire.Grpc.Client;

/// <summary>
/// A server-streaming call, started when enumerated (once). Ending the enumeration early (break, or cancelling the
/// token) resets the HTTP/2 stream, which the server sees as a cancellation. A non-OK status, including the
/// deadline, ends the enumeration with an <see cref="RpcException"/>.
/// </summary>
public sealed class GrpcStreamingCall<TResponse> : IAsyncEnumerable<TResponse>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<CancellationToken, ClientCall<TResponse>> _start;
    private int _started;

    internal GrpcStreamingCall(Func<CancellationToken, ClientCall<TResponse>> start) => _start = start;

    /// <summary>The server's response headers, once the first response arrived.</summary>
    public Metadata? ResponseHeaders { get; private set; }

    /// <summary>The trailing metadata, once the stream ended with OK.</summary>
    public Metadata? Trailers { get; private set; }

    public async IAsyncEnumerator<TResponse> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("A streaming call can be enumerated only once; start a new call.");
        }

        using var call = _start(cancellationToken);
        await call.StartAsync();
        ResponseHeaders = call.ResponseHeaders;
        while (await call.ReadNextAsync() is { } message)
        {
            yield return message;
        }

        Trailers = call.Trailers;
    }

    /// <summary>Enumerates with a token (same as <c>WithCancellation</c>), for use with <c>await foreach</c>.</summary>
    public async IAsyncEnumerable<TResponse> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var message in this.WithCancellation(cancellationToken))
        {
            yield return message;
        }
    }
}
