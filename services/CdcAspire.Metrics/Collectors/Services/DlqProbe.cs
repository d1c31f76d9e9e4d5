using CdcAspire.Metrics.Diagnostics;
using CdcAspire.Metrics.Health;
using CdcAspire.Metrics.V1;
using Grpc.Core;
using DlqV1 = CdcAspire.Dlq.V1;

namespace CdcAspire.Metrics.Collectors.Services;

/// <summary>The DLQ service through its gRPC GetStats: pending dead letters and the age of the oldest one.</summary>
internal sealed class DlqProbe(
    string? address,
    ServiceChannels channels,
    TimeSpan timeout,
    long degradedAbove,
    TimeProvider time,
    ILogger<DlqProbe> logger) : IChainProbe
{
    public const string ComponentName = "dlq";

    public string Name => ComponentName;

    public async Task<HealthReport> ProbeAsync(CancellationToken cancellationToken)
    {
        var report = new HealthReport { Metrics = new ChainMetrics() };
        if (string.IsNullOrWhiteSpace(address))
        {
            report.Components.Add(Components.NotConfigured(ComponentName,
                "Set services__dlq__grpc__0 (Aspire: WithReference(dlq)) or Metrics:Dlq to the DLQ service's gRPC address."));
            return report;
        }

        DlqV1.StatsResponse stats;
        try
        {
            var client = new DlqV1.DlqService.DlqServiceClient(channels.For(address));
            stats = await client.GetStatsAsync(new DlqV1.GetStatsRequest(), deadline: time.GetUtcNow().UtcDateTime + timeout, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ProbeFailed(logger, ComponentName, ex.Status.Detail);
            report.Components.Add(Components.Down(ComponentName, $"no answer from {address}: {ex.StatusCode} {ex.Status.Detail}",
                "Start the DLQ service (services/CdcAspire.Dlq) or check services__dlq__grpc__0 / Metrics:Dlq."));
            return report;
        }

        var pending = stats.ByState.TryGetValue("pending", out var p) ? p : 0;
        var oldest = stats.OldestPendingAge?.ToTimeSpan().TotalSeconds ?? 0;
        report.Metrics.DlqPending = pending;
        report.Metrics.DlqOldestAgeSeconds = oldest;
        if (pending > degradedAbove)
        {
            var worst = stats.Groups.OrderByDescending(g => g.Count).FirstOrDefault();
            var example = worst is null ? string.Empty : $"; most: {worst.Count} in {worst.Table} ({worst.ErrorType}: {worst.SampleReason})";
            report.Components.Add(Components.Degraded(ComponentName, $"{pending} dead letters pending, the oldest {oldest:0} s old{example}",
                "cdc dlq list to see them; fix the cause (mapping, data), then cdc dlq replay (or cdc dlq discard with a reason)."));
        }
        else if (stats.Breaker is { State: "open" } breaker)
        {
            report.Components.Add(Components.Degraded(ComponentName, "replays wait: the Elasticsearch breaker is open: " + breaker.Reason,
                "Check the elasticsearch component; replays resume by themselves when it answers."));
        }
        else
        {
            report.Components.Add(Components.Ok(ComponentName));
        }

        return report;
    }
}
