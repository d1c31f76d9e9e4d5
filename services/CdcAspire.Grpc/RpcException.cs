namespace CdcAspire.Grpc;

/// <summary>
/// A call ended with a non-OK status. Thrown by the client for a failed call, and thrown by a server handler to end
/// its call with that status and message (any other exception becomes INTERNAL without details).
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(StatusCode statusCode, string detail)
        : this(statusCode, detail, trailers: null, innerException: null)
    {
    }

    public RpcException(StatusCode statusCode, string detail, Metadata? trailers, Exception? innerException = null)
        : base($"Status(StatusCode=\"{statusCode}\", Detail=\"{detail}\")", innerException)
    {
        StatusCode = statusCode;
        Detail = detail;
        Trailers = trailers ?? [];
    }

    public RpcException()
        : this(StatusCode.Unknown, string.Empty)
    {
    }

    public RpcException(string message)
        : this(StatusCode.Unknown, message)
    {
    }

    public RpcException(string message, Exception innerException)
        : this(StatusCode.Unknown, message, trailers: null, innerException)
    {
    }

    public StatusCode StatusCode { get; }

    /// <summary>The <c>grpc-message</c> text (decoded); may be empty.</summary>
    public string Detail { get; }

    /// <summary>Trailing metadata received with the status (client) or to send with it (server).</summary>
    public Metadata Trailers { get; }

    /// <summary>
    /// Whether retrying the same call later may succeed (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED).
    /// </summary>
    public bool IsTransient => StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        or StatusCode.ResourceExhausted or StatusCode.Aborted;
}
