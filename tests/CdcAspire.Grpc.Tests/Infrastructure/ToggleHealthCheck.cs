using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CdcAspire.Grpc.Tests.Infrastructure;

/// <summary>A health check whose result the test sets.</summary>
internal sealed class ToggleHealthCheck : IHealthCheck
{
    public volatile bool Healthy = true;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("toggled off"));
}
