using CdcAspire.Metrics.Diagnostics;
using CdcAspire.Metrics.Health;
using CdcAspire.Metrics.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ConsistencyV1 = CdcAspire.Consistency.V1;

namespace CdcAspire.Metrics.Collectors.Services;

/// <summary>The consistency service through its gRPC ListResults: each table's last check and its differences.</summary>
internal sealed class ConsistencyProbe(
    string? address,
    ServiceChannels channels,
    TimeSpan timeout,
    TimeProvider time,
    ILogger<ConsistencyProbe> logger) : IChainProbe
{
    public const string ComponentName = "consistency";

    public string Name => ComponentName;

    public async Task<HealthReport> ProbeAsync(CancellationToken cancellationToken)
    {
        var report = new HealthReport { Metrics = new ChainMetrics() };
        if (string.IsNullOrWhiteSpace(address))
        {
            report.Components.Add(Components.NotConfigured(ComponentName,
                "Set services__consistency__grpc__0 (Aspire: WithReference(consistency)) or Metrics:Consistency to the consistency service's gRPC address."));
            return report;
        }

        ConsistencyV1.ListResultsResponse results;
        try
        {
            var client = new ConsistencyV1.ConsistencyService.ConsistencyServiceClient(channels.For(address));
            results = await client.ListResultsAsync(new ConsistencyV1.ListResultsRequest { Limit = 1 },
                deadline: time.GetUtcNow().UtcDateTime + timeout, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ProbeFailed(logger, ComponentName, ex.Status.Detail);
            report.Components.Add(Components.Down(ComponentName, $"no answer from {address}: {ex.StatusCode} {ex.Status.Detail}",
                "Start the consistency service (services/CdcAspire.Consistency) or check services__consistency__grpc__0 / Metrics:Consistency."));
            return report;
        }

        // Newest first per table: the first result of each table is its last check.
        var latest = results.Results.GroupBy(r => r.Table, StringComparer.Ordinal).Select(g => g.First()).OrderBy(r => r.Table, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var r in latest)
        {
            var checkedAt = r.StartedAt is null ? null
                : Timestamp.FromDateTimeOffset(r.StartedAt.ToDateTimeOffset() + (r.Duration?.ToTimeSpan() ?? TimeSpan.Zero));
            report.Metrics.Differences.Add(new TableDifferences
            {
                Table = r.Table,
                Missing = r.Missing,
                Extra = r.Extra,
                Mismatched = r.Mismatched,
                CheckedAt = checkedAt,
            });
            if (r.Missing + r.Extra + r.Mismatched > 0)
            {
                problems.Add($"{r.Table}: {r.Missing} missing, {r.Extra} extra, {r.Mismatched} mismatched");
            }
            else if (!string.IsNullOrEmpty(r.Error))
            {
                problems.Add($"{r.Table}: the last check did not complete: {r.Error}");
            }
        }

        report.Components.Add(problems.Count == 0
            ? Components.Ok(ComponentName)
            : Components.Degraded(ComponentName, string.Join("; ", problems),
                "cdc repair <table> rewrites the differing documents from the rows (or cdc check --repair); cdc resync <table> rebuilds the index behind its alias."));
        return report;
    }
}
