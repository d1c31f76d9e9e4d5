using System.Diagnostics;
using CdcAspire.Grpc.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CdcAspire.Grpc.Server;

/// <summary>The HTTP-level parts of serving a call: request checks, response headers, metadata, trace context.</summary>
internal static class ServerProtocol
{
    /// <summary>
    /// Rejects what is not a gRPC request with a plain HTTP status (as Grpc.AspNetCore does): 426 for HTTP/1.x,
    /// 415 for a non-gRPC content-type.
    /// </summary>
    public static bool AcceptRequest(HttpContext http)
    {
        if (!HttpProtocol.IsHttp2(http.Request.Protocol) && !HttpProtocol.IsHttp3(http.Request.Protocol))
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            http.Response.Headers.Upgrade = "h2c";
            return false;
        }

        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return false;
        }

        // Kestrel's 30 MB request body cap would cut long calls; message size is limited per message instead.
        var bodySize = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            bodySize.MaxRequestBodySize = null;
        }

        return true;
    }

    public static void PrepareResponse(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
    }

    public static Metadata ReadMetadata(HttpContext http)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in http.Request.Headers)
        {
            foreach (var value in values)
            {
                if (value is not null)
                {
                    MetadataHeaders.AddHeader(metadata, name, value);
                }
            }
        }

        return metadata;
    }

    /// <summary>
    /// The caller's W3C trace context, so the server span continues the client's trace. Without one, the default
    /// context makes the span a child of ASP.NET Core's request activity, if any.
    /// </summary>
    public static ActivityContext ExtractParent(HttpContext http)
    {
        var headers = http.Request.Headers;
        var traceParent = headers.TraceParent.ToString();
        if (string.IsNullOrEmpty(traceParent))
        {
            return default;
        }

        return ActivityContext.TryParse(traceParent, headers.TraceState.ToString(), isRemote: true, out var parent)
            ? parent
            : default;
    }

    /// <summary>Trailers-Only UNIMPLEMENTED, for methods and services this server does not serve.</summary>
    public static void WriteUnimplemented(HttpContext http, string detail)
    {
        PrepareResponse(http);
        http.Response.Headers[GrpcProtocol.StatusHeader] = "12";
        http.Response.Headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(detail);
    }
}
