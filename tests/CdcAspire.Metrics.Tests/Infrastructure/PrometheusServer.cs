using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdcAspire.Testing;
using CdcAspire.Testing.Net;

namespace CdcAspire.Metrics.Tests.Infrastructure;

/// <summary>
/// A real Prometheus server (Debian's package) scraping one target every second and evaluating a test copy of
/// monitoring/cdc_alerts.yml in which every <c>for:</c> is shortened and the lag threshold is a few seconds, so the
/// rules' conditions can hold within a test. The expressions are otherwise the shipped ones.
/// </summary>
public sealed partial class PrometheusServer : IAsyncDisposable
{
    /// <summary>The lag threshold of the test copy of CdcReplicationLag (the shipped rule says 300 s); above the test's 2 s heartbeat.</summary>
    public const int TestLagSeconds = 8;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ServiceProcess _process;
    private readonly string _dir;

    private PrometheusServer(ServiceProcess process, string dir, Uri address)
    {
        _process = process;
        _dir = dir;
        Address = address;
    }

    public Uri Address { get; }

    public string Tail => _process.Tail;

    public static string Binary => File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus"
        : throw new InvalidOperationException("Prometheus is not installed: apt-get install -y prometheus (scripts/test.sh does it).");

    /// <summary>The shipped rules with for: shortened to <paramref name="forDuration"/> and the lag threshold lowered.</summary>
    public static string TestRules(string forDuration)
    {
        var rules = File.ReadAllText(Path.Combine(Repository.Root, "monitoring", "cdc_alerts.yml"));
        rules = ForRegex().Replace(rules, "for: " + forDuration);
        const string lag = "cdc_slot_lag_seconds > 300";
        Assert.Contains(lag, rules, StringComparison.Ordinal);
        return rules.Replace(lag, "cdc_slot_lag_seconds > " + TestLagSeconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    public static async Task<PrometheusServer> StartAsync(Uri target, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("cdc-prom-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "cdc_alerts.yml"), TestRules("2s"), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - cdc_alerts.yml
            scrape_configs:
              - job_name: cdc-metrics
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target.Authority}']
            """, cancellationToken);
        var port = FreePort.Next();
        var process = ServiceProcess.Start(Binary,
            [
                "--config.file=" + Path.Combine(dir, "prometheus.yml"),
                "--storage.tsdb.path=" + Path.Combine(dir, "data"),
                $"--web.listen-address=127.0.0.1:{port}",
            ],
            new Dictionary<string, string?>(), dir);
        var server = new PrometheusServer(process, dir, new Uri($"http://127.0.0.1:{port}/"));
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var r = await Http.GetAsync(new Uri(server.Address, "-/ready"), cancellationToken);
                return r.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), () => "Prometheus ready\n" + process.Tail, cancellationToken);
        return server;
    }

    /// <summary>Alerts in state firing (or pending), as name + labels.</summary>
    public async Task<IReadOnlyList<Alert>> AlertsAsync(CancellationToken cancellationToken)
    {
        var doc = await Http.GetFromJsonAsync<JsonElement>(new Uri(Address, "api/v1/alerts"), cancellationToken);
        return doc.GetProperty("data").GetProperty("alerts").EnumerateArray().Select(a => new Alert(
            a.GetProperty("labels").GetProperty("alertname").GetString()!,
            a.GetProperty("state").GetString()!,
            a.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty))).ToList();
    }

    /// <summary>An instant query; each result's labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        var doc = await Http.GetFromJsonAsync<JsonElement>(new Uri(Address, "api/v1/query?query=" + Uri.EscapeDataString(promql)), cancellationToken);
        return doc.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => (
            (IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test run.
        }
    }

    [GeneratedRegex(@"for: \S+")]
    private static partial Regex ForRegex();

    public sealed record Alert(string Name, string State, IReadOnlyDictionary<string, string> Labels);
}
