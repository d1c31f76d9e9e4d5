using CdcAspire.Grpc.Server;
using CdcAspire.Pipeline.Status;
using V1 = CdcAspire.Sink.V1;

namespace CdcAspire.Sink.Grpc;

/// <summary>
/// <c>cdcaspire.sink.v1.SinkService</c>: status, pause/resume (bearer token required), and a watch that sends the
/// current status and then one message per phase change, plus progress at most every
/// <see cref="WatchProgressInterval"/> while counters move.
/// </summary>
internal sealed class SinkGrpcService(PipelineStatus status, TimeProvider time)
{
    public static readonly TimeSpan WatchProgressInterval = TimeSpan.FromMilliseconds(500);

    public Task<V1.StatusResponse> GetStatus(V1.GetStatusRequest request, ServerCallContext context) =>
        Task.FromResult(StatusMapper.ToMessage(status, time));

    public Task<V1.PauseResponse> Pause(V1.PauseRequest request, ServerCallContext context)
    {
        var changed = !status.IsPaused;
        status.Pause();
        return Task.FromResult(new V1.PauseResponse { Changed = changed, Status = StatusMapper.ToMessage(status, time) });
    }

    public Task<V1.ResumeResponse> Resume(V1.ResumeRequest request, ServerCallContext context)
    {
        var changed = status.IsPaused;
        status.Resume();
        return Task.FromResult(new V1.ResumeResponse { Changed = changed, Status = StatusMapper.ToMessage(status, time) });
    }

    public async Task Watch(V1.WatchRequest request, IServerStreamWriter<V1.StatusResponse> stream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var last = StatusMapper.ToMessage(status, time);
        await stream.WriteAsync(last, ct);
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

            var next = StatusMapper.ToMessage(status, time);
            var comparable = next.Clone();
            comparable.ObservedAt = last.ObservedAt;
            if (!comparable.Equals(last))
            {
                await stream.WriteAsync(next, ct);
                last = next;
            }
        }
    }
}
