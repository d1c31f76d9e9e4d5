using System.Diagnostics;
using CdcAspire.Grpc.Diagnostics;
using CdcAspire.Grpc.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CdcAspire.Grpc.Server;

/// <summary>
/// Runs one inbound call: protocol checks, trace context, deadline, authentication, the handler, and the mapping
/// of its outcome to a gRPC status. Handler exceptions other than <see cref="RpcException"/> become INTERNAL with a
/// fixed message; the exception itself is only logged.
/// </summary>
internal sealed class ServerCallHandler(
    IOptions<GrpcServerOptions> options,
    BearerTokenValidator tokens,
    GrpcMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<ServerCallHandler> logger)
{
    public async Task HandleAsync(HttpContext http, string service, GrpcMethodEntry method)
    {
        if (!ServerProtocol.AcceptRequest(http))
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        using var activity = GrpcTelemetry.StartCall(ActivityKind.Server, service, method.Name, ServerProtocol.ExtractParent(http));
        ServerProtocol.PrepareResponse(http);

        var hasTimeout = GrpcTimeout.TryParse(http.Request.Headers[GrpcProtocol.TimeoutHeader], out var timeout);
        using var deadline = new CancellationTokenSource();
        using var callToken = CancellationTokenSource.CreateLinkedTokenSource(
            http.RequestAborted, lifetime.ApplicationStopping, deadline.Token);
        if (hasTimeout)
        {
            deadline.CancelAfter(timeout);
        }

        var call = new ServerCall(http, options.Value) { CancellationToken = callToken.Token };
        var context = new ServerCallContext(call, service, method.Name, ServerProtocol.ReadMetadata(http),
            hasTimeout ? DateTime.UtcNow + timeout : DateTime.MaxValue, callToken.Token);

        var (status, detail) = await RunAsync(call, context, method, deadline, http, timeout);
        if (!http.RequestAborted.IsCancellationRequested)
        {
            call.Complete(status, detail, context.ResponseTrailers);
        }

        GrpcTelemetry.SetStatus(activity, status, GrpcTelemetry.IsServerError(status), detail);
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RecordServer(service, method.Name, status, elapsed);
        Log.CallFinished(logger, service, method.Name, status, elapsed.TotalMilliseconds);
    }

    private async Task<(StatusCode Status, string? Detail)> RunAsync(ServerCall call, ServerCallContext context,
        GrpcMethodEntry method, CancellationTokenSource deadline, HttpContext http, TimeSpan timeout)
    {
        try
        {
            if (method.Auth == MethodAuth.BearerToken)
            {
                Authenticate(context);
            }

            await method.InvokeAsync(call, context);
            return deadline.IsCancellationRequested
                ? DeadlineExceeded(context, timeout)
                : (StatusCode.OK, null);
        }
        catch (Exception) when (deadline.IsCancellationRequested)
        {
            return DeadlineExceeded(context, timeout);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller reset the stream: nobody will read a status, but telemetry records CANCELLED.
            Log.CancelledByClient(logger, context.Service, context.Method);
            return (StatusCode.Cancelled, "The call was cancelled by the client.");
        }
        catch (Exception) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // A normal stop, not an error: long-running streams (Watch) end here during shutdown.
            return (StatusCode.Unavailable, "The server is shutting down.");
        }
        catch (RpcException ex)
        {
            foreach (var entry in ex.Trailers)
            {
                context.ResponseTrailers.Add(entry);
            }

            Log.CallFailed(logger, context.Service, context.Method, ex.StatusCode, ex.Detail);
            return (ex.StatusCode, ex.Detail);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(logger, context.Service, context.Method, ex);
            return (StatusCode.Internal, "Exception was thrown by handler.");
        }
    }

    private (StatusCode, string?) DeadlineExceeded(ServerCallContext context, TimeSpan timeout)
    {
        Log.DeadlineExceeded(logger, context.Service, context.Method, timeout.TotalMilliseconds);
        return (StatusCode.DeadlineExceeded, "Deadline exceeded.");
    }

    private void Authenticate(ServerCallContext context)
    {
        var reason = tokens.Validate(context.RequestHeaders, out var configured);
        if (reason is null)
        {
            return;
        }

        if (!configured)
        {
            Log.TokenNotConfigured(logger, context.Service, context.Method, GrpcApiOptions.TokenKey);
        }

        Log.Unauthenticated(logger, context.Service, context.Method, context.Peer, reason);
        throw new RpcException(StatusCode.Unauthenticated,
            "This method requires a valid bearer token (metadata 'authorization: Bearer <token>').");
    }
}
