using CdcAspire.Metrics.Diagnostics;
using CdcAspire.Metrics.Health;
using CdcAspire.Metrics.V1;
using Grpc.Core;
using SinkV1 = CdcAspire.Sink.V1;

namespace CdcAspire.Metrics.Collectors.Services;

/// <summary>
/// Each sink through its gRPC GetStatus: up, phase, lag, events per second (from its received counters between two
/// readings) and per-table counters. An unreachable sink is down, which is the point of watching from outside.
/// </summary>
internal sealed class SinkProbe(
    IReadOnlyList<string> addresses,
    ServiceChannels channels,
    TimeSpan timeout,
    TimeProvider time,
    ILogger<SinkProbe> logger) : IChainProbe
{
    public const string ComponentName = "sink";
    private readonly Dictionary<string, (DateTimeOffset At, ulong Received)> _previous = new(StringComparer.Ordinal);

    public string Name => ComponentName;

    public async Task<HealthReport> ProbeAsync(CancellationToken cancellationToken)
    {
        var report = new HealthReport { Metrics = new ChainMetrics() };
        if (addresses.Count == 0)
        {
            report.Components.Add(Components.NotConfigured(ComponentName,
                "Set services__sink__grpc__0 (Aspire sets it with WithReference(sink)) or Metrics:Sinks:0 to the sink's gRPC address."));
            return report;
        }

        var results = await Task.WhenAll(addresses.Select(a => ReadAsync(a, cancellationToken)));
        foreach (var (metrics, component) in results)
        {
            report.Metrics.Sinks.Add(metrics);
            report.Components.Add(component);
        }

        return report;
    }

    private async Task<(SinkMetrics, Component)> ReadAsync(string address, CancellationToken cancellationToken)
    {
        var name = addresses.Count == 1 ? ComponentName : ComponentName + ":" + address;
        var metrics = new SinkMetrics { Address = address };
        SinkV1.StatusResponse status;
        try
        {
            var client = new SinkV1.SinkService.SinkServiceClient(channels.For(address));
            status = await client.GetStatusAsync(new SinkV1.GetStatusRequest(), deadline: time.GetUtcNow().UtcDateTime + timeout, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ProbeFailed(logger, name, ex.Status.Detail);
            metrics.Reason = $"no answer from {address}: {ex.StatusCode} {ex.Status.Detail}";
            return (metrics, Components.Down(name, metrics.Reason,
                "Start the sink (dotnet run --project services/CdcAspire.Sink, or restart it in the Aspire dashboard); check services__sink__grpc__0 / Metrics:Sinks."));
        }

        var pipeline = status.Pipeline ?? new SinkV1.PipelineStatus();
        metrics.Up = true;
        metrics.Phase = PhaseName(pipeline.Phase);
        metrics.LagSeconds = pipeline.LagSeconds;
        metrics.LagBytes = (long)Math.Min(pipeline.LagBytes, long.MaxValue);
        metrics.Reason = pipeline.Reason;
        ulong received = 0;
        foreach (var t in status.Tables)
        {
            var c = t.Counters ?? new SinkV1.TableCounters();
            received += c.Received;
            metrics.Tables.Add(new SinkTableCounters
            {
                Table = t.Schema + "." + t.Name,
                Phase = PhaseName(t.Phase),
                Received = c.Received,
                Indexed = c.Indexed,
                Deleted = c.Deleted,
                Superseded = c.Superseded,
                DeadLettered = c.DeadLettered,
            });
        }

        metrics.EventsPerSecond = Rate(address, received);
        return (metrics, Health(name, pipeline, status));
    }

    private double Rate(string address, ulong received)
    {
        var now = time.GetUtcNow();
        double rate = 0;
        lock (_previous)
        {
            if (_previous.TryGetValue(address, out var before) && received >= before.Received && now > before.At)
            {
                rate = (received - before.Received) / (now - before.At).TotalSeconds;
            }

            _previous[address] = (now, received);
        }

        return rate;
    }

    private static Component Health(string name, SinkV1.PipelineStatus pipeline, SinkV1.StatusResponse status)
    {
        switch (pipeline.Phase)
        {
            case SinkV1.Phase.Failed:
                return Components.Down(name, "the pipeline failed: " + pipeline.Reason,
                    "Read the reason and the sink's log, fix the cause, then restart the sink (it resumes from its slot).");
            case SinkV1.Phase.Paused:
                return Components.Degraded(name, "paused: " + (string.IsNullOrEmpty(pipeline.Reason) ? "(no reason given)" : pipeline.Reason),
                    "cdc resume, when the reason for the pause is over.");
        }

        var failed = status.Tables.Where(t => t.Phase == SinkV1.Phase.Failed).ToList();
        return failed.Count > 0
            ? Components.Degraded(name, string.Join("; ", failed.Select(t => $"{t.Schema}.{t.Name} failed: {t.FailureReason}")),
                "Fix the table's cause (mapping, permissions), then restart the sink; its other tables keep streaming.")
            : Components.Ok(name);
    }

    public static string PhaseName(SinkV1.Phase phase) => phase switch
    {
        SinkV1.Phase.Snapshotting => "snapshotting",
        SinkV1.Phase.Streaming => "streaming",
        SinkV1.Phase.Paused => "paused",
        SinkV1.Phase.Failed => "failed",
        _ => "unspecified",
    };
}
