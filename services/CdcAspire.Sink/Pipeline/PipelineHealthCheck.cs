using CdcAspire.Pipeline.Status;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CdcAspire.Sink.Pipeline;

/// <summary>
/// Unhealthy while the pipeline is failed, with the reason (which never holds secrets); Degraded while a configured
/// table is not followed (the others stream), so the refusal shows on the dashboard and not only in the log.
/// </summary>
public sealed class PipelineHealthCheck(PipelineStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (status.Phase == PipelinePhase.Failed)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(status.FailureReason));
        }

        var refused = status.Tables.FirstOrDefault(t => t.FailureReason is not null);
        return Task.FromResult(refused is null
            ? HealthCheckResult.Healthy(status.Phase.ToString())
            : HealthCheckResult.Degraded(refused.FailureReason));
    }
}
