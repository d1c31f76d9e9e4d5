using System.Diagnostics;

namespace CdcAspire.Grpc.Diagnostics;

/// <summary>
/// Spans of gRPC calls, named and tagged after the OpenTelemetry RPC semantic conventions
/// (https://opentelemetry.io/docs/specs/semconv/rpc/grpc/): span name <c>{package.Service}/{Method}</c>.
/// </summary>
public static class GrpcTelemetry
{
    /// <summary>Name of the ActivitySource and of the Meter.</summary>
    public const string Name = "CdcAspire.Grpc";

    public const string RpcSystem = "rpc.system";
    public const string RpcService = "rpc.service";
    public const string RpcMethod = "rpc.method";
    public const string RpcGrpcStatusCode = "rpc.grpc.status_code";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";

    public static readonly ActivitySource ActivitySource = new(Name);

    internal static Activity? StartCall(ActivityKind kind, string service, string method, ActivityContext parent = default)
    {
        var activity = ActivitySource.StartActivity(service + "/" + method, kind, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RpcSystem, "grpc");
            activity.SetTag(RpcService, service);
            activity.SetTag(RpcMethod, method);
        }

        return activity;
    }

    /// <summary>Records the final status; <paramref name="isError"/> follows the convention for the span's kind.</summary>
    internal static void SetStatus(Activity? activity, StatusCode status, bool isError, string? description)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(RpcGrpcStatusCode, (int)status);
        if (isError)
        {
            activity.SetTag(ErrorType, status.ToString());
            activity.SetStatus(ActivityStatusCode.Error, description);
        }
    }

    /// <summary>Server spans are errors only for codes that mean the server failed (the convention's list).</summary>
    internal static bool IsServerError(StatusCode status) => status is StatusCode.Unknown or StatusCode.DeadlineExceeded
        or StatusCode.Unimplemented or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss;
}
