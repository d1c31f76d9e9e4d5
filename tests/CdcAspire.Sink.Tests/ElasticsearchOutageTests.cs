using System.Text.Json;

namespace CdcAspire.Sink.Tests;

/// <summary>
/// Issue 10, items 3 and 4, on the real sink process: while Elasticsearch is unreachable /status says why and /health
/// turns Degraded, then Unhealthy, by the configured thresholds; the log holds one warning for the outage and one line
/// for the recovery, no HttpClient line per request, no stack trace per retry; afterwards everything converges.
/// </summary>
public sealed class ElasticsearchOutageTests(PostgresFixture postgres)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task UnreachableElasticsearchTurnsHealthDegradedThenUnhealthyWithOneWarningAndRecovers()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "esdown");
        s.Environment["Cdc__Writer__DegradedAfter"] = "00:00:01";
        s.Environment["Cdc__Writer__UnhealthyAfter"] = "00:00:04";
        var sink = s.StartSink();
        await s.AssertConvergesAsync(TimeSpan.FromSeconds(90));
        await s.EventuallyAsync(HealthAsync, h => h == "Healthy", TimeSpan.FromSeconds(20), "Healthy after the snapshot");

        s.Elasticsearch.Faults.DropNextConnections(int.MaxValue);
        await s.ExecuteAsync(Workload.InsertProducts(50));
        await s.EventuallyAsync(HealthAsync, h => h == "Degraded", TimeSpan.FromSeconds(20), "Degraded after Cdc:Writer:DegradedAfter");
        var status = await s.StatusAsync();
        Assert.Contains("Elasticsearch unavailable", status!.Value.GetProperty("degradedReason").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("Failed", status.Value.GetProperty("phase").GetString());
        await s.EventuallyAsync(async () => (await s.StatusAsync())?.GetProperty("lagSeconds").GetDouble(), l => l > 0, TimeSpan.FromSeconds(10), "lag above 0 while behind");
        await s.EventuallyAsync(HealthAsync, h => h == "Unhealthy", TimeSpan.FromSeconds(20), "Unhealthy after Cdc:Writer:UnhealthyAfter");

        s.Elasticsearch.Faults.Clear();
        await s.AssertConvergesAsync(TimeSpan.FromSeconds(90));
        await s.EventuallyAsync(HealthAsync, h => h == "Healthy", TimeSpan.FromSeconds(20), "Healthy after recovery");
        Assert.Equal(JsonValueKind.Null, (await s.StatusAsync())!.Value.GetProperty("degradedReason").ValueKind);

        var output = sink.Output;
        Assert.Equal(1, Count(output, "is unavailable:"));
        Assert.Equal(1, Count(output, "answers again after"));
        Assert.Equal(0, Count(output, "Start processing HTTP request"));
        Assert.Equal(0, Count(output, "Received HTTP response headers"));
        Assert.Equal(0, Count(output, "   at System.Net."));

        async Task<string?> HealthAsync()
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(sink.Address, "health"));
                return await response.Content.ReadAsStringAsync();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
