using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CdcAspire.Grpc.Protocol;

namespace CdcAspire.Grpc.Client;

/// <summary>The HTTP-level parts of making a call: request headers, response validation, status and metadata.</summary>
internal static class ClientProtocol
{
    private const string UserAgent = "grpc-dotnet-cdcaspire/1.0";

    public static HttpRequestMessage CreateRequest(GrpcChannel channel, string path, byte[] frame, Metadata? headers,
        TimeSpan? timeout, Activity? activity)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(channel.Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        request.Headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");
        request.Headers.TryAddWithoutValidation("user-agent", UserAgent);
        request.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (timeout is { } t)
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(t));
        }

        var hasAuthorization = false;
        foreach (var entry in headers ?? [])
        {
            hasAuthorization |= entry.Key == GrpcProtocol.AuthorizationHeader;
            request.Headers.TryAddWithoutValidation(entry.Key, MetadataHeaders.ToHeaderValue(entry));
        }

        if (!hasAuthorization && !string.IsNullOrEmpty(channel.Options.BearerToken))
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocol.AuthorizationHeader, "Bearer " + channel.Options.BearerToken);
        }

        // W3C trace context, so the server's span joins this trace (HttpClient's own propagation does not overwrite it).
        var context = activity ?? Activity.Current;
        if (context is { IdFormat: ActivityIdFormat.W3C, Id: not null })
        {
            request.Headers.TryAddWithoutValidation("traceparent", context.Id);
            if (!string.IsNullOrEmpty(context.TraceStateString))
            {
                request.Headers.TryAddWithoutValidation("tracestate", context.TraceStateString);
            }
        }

        return request;
    }

    /// <summary>A response that is not gRPC at all gets the status the HTTP-to-gRPC mapping gives it.</summary>
    public static void CheckResponse(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RpcException(HttpStatusMapping.ToStatusCode(response.StatusCode),
                $"Bad gRPC response: HTTP status {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new RpcException(StatusCode.Unknown, $"Bad gRPC response: content-type '{contentType}' is not application/grpc.");
        }
    }

    public static string? GetHeader(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public static (StatusCode Code, string Detail) ReadStatus(HttpHeaders headers)
    {
        var status = GetHeader(headers, GrpcProtocol.StatusHeader);
        if (status is null)
        {
            return (StatusCode.Unknown, "The response ended without a grpc-status.");
        }

        if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return (StatusCode.Unknown, $"The response has an invalid grpc-status '{status}'.");
        }

        var message = GetHeader(headers, GrpcProtocol.MessageHeader);
        return ((StatusCode)code, message is null ? string.Empty : PercentEncoding.Decode(message));
    }

    public static void CopyMetadata(HttpHeaders headers, Metadata metadata)
    {
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                MetadataHeaders.AddHeader(metadata, name, value);
            }
        }
    }

    /// <summary>RST_STREAM error codes to statuses, as PROTOCOL-HTTP2.md maps them.</summary>
    public static RpcException FromReset(HttpProtocolException reset) => reset.ErrorCode switch
    {
        0x7 => new RpcException(StatusCode.Unavailable, "The server refused the stream.", null, reset),
        0x8 => new RpcException(StatusCode.Cancelled, "The server cancelled the stream.", null, reset),
        0xB => new RpcException(StatusCode.ResourceExhausted, "The server asked to slow down (ENHANCE_YOUR_CALM).", null, reset),
        0xC => new RpcException(StatusCode.PermissionDenied, "The connection's security is inadequate.", null, reset),
        _ => new RpcException(StatusCode.Internal, $"The server reset the stream (HTTP/2 error {reset.ErrorCode}).", null, reset),
    };
}
