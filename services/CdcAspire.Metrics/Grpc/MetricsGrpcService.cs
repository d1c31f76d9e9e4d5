using CdcAspire.Metrics.Collectors;
using CdcAspire.Metrics.V1;
using Grpc.Core;

namespace CdcAspire.Metrics.Grpc;

/// <summary>
/// cdcaspire.metrics.v1.MetricsService: the last reading of the chain (GetHealth) and every new one (Watch). Both
/// are read-only and anonymous, like GetStatus on the sink; neither queries the chain itself, so a burst of callers
/// costs the watched services nothing.
/// </summary>
internal sealed class MetricsGrpcService(ChainState state) : MetricsService.MetricsServiceBase
{
    public override Task<HealthReport> GetHealth(GetHealthRequest request, ServerCallContext context) =>
        state.CurrentOrNextAsync(context.CancellationToken);

    public override async Task Watch(WatchRequest request, IServerStreamWriter<HealthReport> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        try
        {
            // Both taken at once, so a report published while the first one is written is not missed.
            var (report, next) = state.Peek(ct);
            while (true)
            {
                if (report is not null)
                {
                    await responseStream.WriteAsync(report, ct);
                }

                // The newest report after the wait: one published meanwhile is coalesced, never lost.
                await next;
                (report, next) = state.Peek(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller went away or the service stops: the end of the stream, not an error.
        }
    }
}
