using CdcAspire.ServiceDefaults.Security;
using CdcAspire.Sink.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace CdcAspire.Cli.Tests.Fakes;

/// <summary>
/// SinkService with canned status the test can change, on Grpc.AspNetCore with the real token policy: enough to drive the CLI as a user
/// would. The real pipeline behind it is tested end to end elsewhere.
/// </summary>
internal sealed class FakeSinkService : SinkService.SinkServiceBase
{
    private readonly Lock _lock = new();
    private StatusResponse _status = InitialStatus();
    private TaskCompletionSource _changed = NewSignal();
    private readonly CancellationTokenSource _endWatches = new();

    public StatusResponse Status
    {
        get
        {
            lock (_lock)
            {
                return _status.Clone();
            }
        }
    }

    public override Task<StatusResponse> GetStatus(GetStatusRequest request, ServerCallContext context) => Task.FromResult(Status);

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override Task<PauseResponse> Pause(PauseRequest request, ServerCallContext context)
    {
        var changed = Update(s => s.Pipeline.Phase != Phase.Paused, s => { s.Pipeline.Phase = Phase.Paused; s.Pipeline.Reason = request.Reason; });
        return Task.FromResult(new PauseResponse { Changed = changed, Status = Status });
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override Task<ResumeResponse> Resume(ResumeRequest request, ServerCallContext context)
    {
        var changed = Update(s => s.Pipeline.Phase == Phase.Paused, s => { s.Pipeline.Phase = Phase.Streaming; s.Pipeline.Reason = string.Empty; });
        return Task.FromResult(new ResumeResponse { Changed = changed, Status = Status });
    }

    /// <summary>Changes the status; watchers get the new snapshot.</summary>
    public bool Update(Func<StatusResponse, bool> condition, Action<StatusResponse> change)
    {
        lock (_lock)
        {
            if (!condition(_status))
            {
                return false;
            }

            var next = _status.Clone();
            change(next);
            _status = next;
            _changed.TrySetResult();
            _changed = NewSignal();
            return true;
        }
    }

    /// <summary>Ends every Watch stream with OK, as a sink shutting down cleanly would.</summary>
    public void EndWatches() => _endWatches.Cancel();

    public override async Task Watch(WatchRequest request, IServerStreamWriter<StatusResponse> responseStream, ServerCallContext context)
    {
        while (!_endWatches.IsCancellationRequested)
        {
            Task changed;
            StatusResponse snapshot;
            lock (_lock)
            {
                changed = _changed.Task;
                snapshot = _status.Clone();
            }

            await responseStream.WriteAsync(snapshot, context.CancellationToken);
            await Task.WhenAny(changed, Task.Delay(Timeout.Infinite, _endWatches.Token)).WaitAsync(context.CancellationToken);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static StatusResponse InitialStatus() => new()
    {
        Pipeline = new PipelineStatus
        {
            Source = "orders-db",
            Phase = Phase.Streaming,
            AcknowledgedPosition = "0/16B3748",
            LagBytes = 2048,
            LagSeconds = 1.5,
        },
        Tables =
        {
            new TableStatus
            {
                Schema = "public",
                Name = "orders",
                Phase = Phase.Snapshotting,
                Index = "orders",
                Snapshot = new SnapshotProgress { RowsDone = 500, RowsEstimated = 1000 },
                Counters = new TableCounters { Received = 500, Indexed = 490, Deleted = 3, Superseded = 2, DeadLettered = 5 },
            },
            new TableStatus
            {
                Schema = "public",
                Name = "customers",
                Phase = Phase.Streaming,
                Index = "customers",
                Counters = new TableCounters { Received = 42, Indexed = 42 },
            },
        },
    };
}
