using CdcAspire.Pipeline.Status;
using CdcAspire.ServiceDefaults.Security;
using CdcAspire.Sink.Hosting;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = CdcAspire.Sink.V1;

namespace CdcAspire.Sink.Grpc;

/// <summary>
/// <c>cdcaspire.sink.v1.SinkService</c>: status, pause/resume (API token required), and a watch that sends the
/// current status and then one message per phase change, plus progress at most every
/// <see cref="WatchProgressInterval"/> while counters move.
/// </summary>
internal sealed class SinkGrpcService(PipelineStatus status, PauseControl pause, TimeProvider time) : V1.SinkService.SinkServiceBase
{
    public static readonly TimeSpan WatchProgressInterval = TimeSpan.FromMilliseconds(500);

    public override Task<V1.StatusResponse> GetStatus(V1.GetStatusRequest request, ServerCallContext context) =>
        Task.FromResult(Snapshot());

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override Task<V1.PauseResponse> Pause(V1.PauseRequest request, ServerCallContext context)
    {
        var changed = pause.Pause(request.Reason);
        return Task.FromResult(new V1.PauseResponse { Changed = changed, Status = Snapshot() });
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override Task<V1.ResumeResponse> Resume(V1.ResumeRequest request, ServerCallContext context)
    {
        var changed = pause.Resume();
        return Task.FromResult(new V1.ResumeResponse { Changed = changed, Status = Snapshot() });
    }

    public override async Task Watch(V1.WatchRequest request, IServerStreamWriter<V1.StatusResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var last = Snapshot();
        await responseStream.WriteAsync(last, ct);
        while (!ct.IsCancellationRequested)
        {
            var seen = status.Version;
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
            tick.CancelAfter(WatchProgressInterval);
            try
            {
                await status.WaitForChangeAsync(seen, tick.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Interval passed: send progress only if something moved.
            }

            if (ct.IsCancellationRequested)
            {
                return;
            }

            var next = Snapshot();
            var comparable = next.Clone();
            comparable.ObservedAt = last.ObservedAt;
            if (!comparable.Equals(last))
            {
                await responseStream.WriteAsync(next, ct);
                last = next;
            }
        }
    }

    private V1.StatusResponse Snapshot() => StatusMapper.ToMessage(status, pause, time);
}
