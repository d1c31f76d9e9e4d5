using CdcAspire.Pipeline.Status;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CdcAspire.Sink.Pipeline;

/// <summary>Unhealthy while the pipeline is failed, with the reason (which never holds secrets).</summary>
public sealed class PipelineHealthCheck(PipelineStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Phase == PipelinePhase.Failed
            ? HealthCheckResult.Unhealthy(status.FailureReason)
            : HealthCheckResult.Healthy(status.Phase.ToString()));
}
