using Microsoft.Extensions.Logging;

namespace CdcAspire.Grpc.Diagnostics;

/// <summary>
/// Log messages of the gRPC layer; EventIds 3000-3099. Never log metadata values or tokens: metadata may carry
/// credentials.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Debug, "gRPC call {Service}/{Method} finished with {StatusCode} in {ElapsedMs:F1} ms")]
    public static partial void CallFinished(ILogger logger, string service, string method, StatusCode statusCode, double elapsedMs);

    [LoggerMessage(3001, LogLevel.Error, "gRPC handler {Service}/{Method} threw; the caller receives INTERNAL without details")]
    public static partial void HandlerFailed(ILogger logger, string service, string method, Exception exception);

    [LoggerMessage(3002, LogLevel.Warning, "gRPC call {Service}/{Method} from {Peer} rejected as unauthenticated: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string service, string method, string? peer, string reason);

    [LoggerMessage(3003, LogLevel.Information, "gRPC call to unknown method {Path} answered UNIMPLEMENTED")]
    public static partial void Unimplemented(ILogger logger, string path);

    [LoggerMessage(3004, LogLevel.Debug, "gRPC call {Service}/{Method} exceeded its deadline of {TimeoutMs} ms")]
    public static partial void DeadlineExceeded(ILogger logger, string service, string method, double timeoutMs);

    [LoggerMessage(3005, LogLevel.Debug, "gRPC call {Service}/{Method} cancelled by the client")]
    public static partial void CancelledByClient(ILogger logger, string service, string method);

    [LoggerMessage(3006, LogLevel.Information, "gRPC call {Service}/{Method} ended {StatusCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string service, string method, StatusCode statusCode, string detail);

    [LoggerMessage(3007, LogLevel.Warning, "gRPC method {Service}/{Method} requires a token but none is configured; set the configuration key {Key}")]
    public static partial void TokenNotConfigured(ILogger logger, string service, string method, string key);

    [LoggerMessage(3008, LogLevel.Warning, "gRPC health check of service '{Service}' failed")]
    public static partial void HealthCheckFailed(ILogger logger, string service, Exception exception);

}
