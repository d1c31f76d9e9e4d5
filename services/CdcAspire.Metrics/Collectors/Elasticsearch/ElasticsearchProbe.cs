using CdcAspire.Metrics.Diagnostics;
using CdcAspire.Metrics.Health;
using CdcAspire.Metrics.V1;

namespace CdcAspire.Metrics.Collectors.Elasticsearch;

/// <summary>Elasticsearch: cluster health, documents per index and the indexing rate between two readings.</summary>
internal sealed class ElasticsearchProbe(
    ElasticsearchStats? stats,
    IReadOnlyList<string> indices,
    TimeProvider time,
    ILogger<ElasticsearchProbe> logger) : IChainProbe
{
    public const string ComponentName = "elasticsearch";
    private Dictionary<string, long> _previousTotals = new(StringComparer.Ordinal);
    private DateTimeOffset _previousAt;

    public string Name => ComponentName;

    public async Task<HealthReport> ProbeAsync(CancellationToken cancellationToken)
    {
        var report = new HealthReport { Metrics = new ChainMetrics() };
        if (stats is null)
        {
            report.Components.Add(Components.NotConfigured(ComponentName, "Set ConnectionStrings:elasticsearch (ConnectionStrings__elasticsearch)."));
            return report;
        }

        report.Metrics.Elasticsearch = new ElasticsearchMetrics();

        var es = report.Metrics.Elasticsearch;
        try
        {
            es.ClusterHealth = await stats.ClusterHealthAsync(cancellationToken);
            es.Up = true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException && !cancellationToken.IsCancellationRequested)
        {
            Log.ProbeFailed(logger, ComponentName, ex.Message);
            report.Components.Add(Components.Down(ComponentName, $"no answer from {stats.Address}: {ex.Message}",
                "Check that Elasticsearch is running and ConnectionStrings:elasticsearch points at it (URL, user, password)."));
            return report;
        }

        string? statsError = null;
        try
        {
            var now = time.GetUtcNow();
            var perIndex = await stats.IndexStatsAsync(indices, cancellationToken);
            var elapsed = (now - _previousAt).TotalSeconds;
            foreach (var (index, s) in perIndex)
            {
                es.DocCounts[index] = s.Docs;
                es.IndexingTotal[index] = s.IndexTotal;
                es.IndexingRate[index] = _previousTotals.TryGetValue(index, out var before) && s.IndexTotal >= before && elapsed > 0
                    ? (s.IndexTotal - before) / elapsed
                    : 0;
            }

            _previousTotals = perIndex.ToDictionary(p => p.Key, p => p.Value.IndexTotal, StringComparer.Ordinal);
            _previousAt = now;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            Log.ProbeFailed(logger, ComponentName, ex.Message);
            statsError = ex.Message;
        }

        report.Components.Add(es.ClusterHealth switch
        {
            "red" => Components.Down(ComponentName, "cluster health is red: a primary shard is unassigned, its index cannot be written",
                "GET _cluster/allocation/explain says why; fix the node or disk, or restore the index."),
            _ when statsError is not null => Components.Degraded(ComponentName, "index statistics unavailable: " + statsError,
                "Give the user monitor privilege on the indices (indices:monitor/stats)."),
            // Yellow (replicas unassigned) is what a single-node cluster shows; the seed's health check counts it healthy.
            _ => Components.Ok(ComponentName),
        });
        return report;
    }
}
