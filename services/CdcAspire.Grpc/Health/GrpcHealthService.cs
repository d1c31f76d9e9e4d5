using CdcAspire.Grpc.Diagnostics;
using CdcAspire.Grpc.Health.V1;
using CdcAspire.Grpc.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServingStatus = CdcAspire.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CdcAspire.Grpc.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c> (https://github.com/grpc/grpc/blob/master/doc/health-checking.md) answered from
/// ASP.NET Core's health checks, so gRPC probes and <c>/health</c> agree. Healthy and Degraded are SERVING.
/// </summary>
internal sealed class GrpcHealthService(
    HealthCheckService healthChecks,
    IOptions<HealthCheckServiceOptions> registrations,
    IOptions<GrpcServerOptions> options,
    ILogger<GrpcHealthService> logger)
{
    public async Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context)
    {
        var status = await GetStatusAsync(request.Service, context.CancellationToken);
        return status == ServingStatus.ServiceUnknown
            ? throw new RpcException(StatusCode.NotFound, $"Unknown service '{request.Service}'.")
            : new HealthCheckResponse { Status = status };
    }

    /// <summary>
    /// The status now, then each change. Health checks raise no events, so they are polled
    /// (<see cref="GrpcServerOptions.HealthWatchInterval"/>). An unknown service is reported as SERVICE_UNKNOWN
    /// without ending the call, as the spec asks. Ends when the caller cancels or the server stops.
    /// </summary>
    public async Task WatchAsync(
        HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        ServingStatus? last = null;
        while (true)
        {
            var status = await GetStatusAsync(request.Service, context.CancellationToken);
            if (status != last)
            {
                await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken);
                last = status;
            }

            await Task.Delay(options.Value.HealthWatchInterval, context.CancellationToken);
        }
    }

    private async Task<ServingStatus> GetStatusAsync(string service, CancellationToken cancellationToken)
    {
        Func<HealthCheckRegistration, bool> predicate = service.Length == 0
            ? _ => true
            : r => r.Name == service || r.Tags.Contains(service);
        if (service.Length > 0 && !registrations.Value.Registrations.Any(predicate))
        {
            return ServingStatus.ServiceUnknown;
        }

        try
        {
            var report = await healthChecks.CheckHealthAsync(predicate, cancellationToken);
            return report.Status == HealthStatus.Unhealthy ? ServingStatus.NotServing : ServingStatus.Serving;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.HealthCheckFailed(logger, service, ex);
            return ServingStatus.NotServing;
        }
    }
}
