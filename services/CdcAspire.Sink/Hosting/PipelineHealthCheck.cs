using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Status;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CdcAspire.Sink.Hosting;

/// <summary>
/// Unhealthy while the pipeline is failed, with the reason (which never holds secrets). While Elasticsearch does not
/// answer the pipeline keeps running and retrying, so health reflects how long that has lasted: Degraded after
/// <c>Cdc:Writer:DegradedAfter</c> (default 10 s), Unhealthy after <c>Cdc:Writer:UnhealthyAfter</c> (default 2 min).
/// A short blip stays Healthy: one failed request is an ordinary retry. Degraded too while a configured table is not
/// followed (the others stream), so the refusal shows on the dashboard and not only in the log.
/// </summary>
public sealed class PipelineHealthCheck(PipelineStatus status, IOptions<CdcOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (status.Phase == PipelinePhase.Failed)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(status.FailureReason));
        }

        if (status.ElasticsearchUnavailableSince is { } since)
        {
            var down = time.GetUtcNow() - since;
            if (down >= options.Value.Writer.UnhealthyAfter)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(status.DegradedReason));
            }

            if (down >= options.Value.Writer.DegradedAfter)
            {
                return Task.FromResult(HealthCheckResult.Degraded(status.DegradedReason));
            }
        }

        var refused = status.Tables.FirstOrDefault(t => t.FailureReason is not null);
        return Task.FromResult(refused is null
            ? HealthCheckResult.Healthy(status.Phase.ToString())
            : HealthCheckResult.Degraded(refused.FailureReason));
    }
}
