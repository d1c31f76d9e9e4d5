using CdcAspire.Cli.Tests.Fakes;
using CdcAspire.Cli.Tests.Infrastructure;
using CdcAspire.Metrics.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.Cli.Tests.Metrics;

/// <summary><c>cdc health</c> and <c>cdc metrics</c> run as a process against a fake MetricsService.</summary>
public sealed class HealthCommandTests : IAsyncLifetime
{
    private readonly FakeMetricsService _service = new();
    private FakeServer _server = null!;

    private string Url => _server.Url;

    public async ValueTask InitializeAsync() =>
        _server = await FakeServer.StartAsync(s => s.AddSingleton(_service), app => app.MapGrpcService<FakeMetricsService>());

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task HealthJsonListsComponentsAndANotConfiguredOneDoesNotFailIt()
    {
        var (exitCode, output, _) = await Cdc.RunAsync(["health", "--metrics", Url, "--json"]);

        Assert.Equal(0, exitCode);
        var report = Json.Parse(output);
        Assert.Equal("ok", report.Str("status"));
        var components = report.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(["postgres", "slot:cdcaspire", "dlq"], components.Select(c => c.Str("name")));
        Assert.Equal("not-configured", components[2].Str("status"));
        Assert.All(components, c => Assert.True(c.TryGetProperty("reason", out _) && c.TryGetProperty("fix", out _)));
    }

    [Theory]
    [InlineData(Status.Degraded, "degraded")]
    [InlineData(Status.Down, "down")]
    public async Task HealthExitsNonZeroWhenAConfiguredComponentIsNotOk(Status status, string word)
    {
        var report = FakeMetricsService.Healthy();
        report.Components[1].Status = status;
        report.Components[1].Reason = "slot inactive for 10 minutes";
        report.Components[1].Fix = "start the sink";
        _service.Report = report;

        var (exitCode, output, _) = await Cdc.RunAsync(["health", "--metrics", Url, "--json"]);
        var (textCode, text, _) = await Cdc.RunAsync(["health"], new Dictionary<string, string?> { ["services__metrics__grpc__0"] = Url });

        Assert.Equal(5, exitCode);
        Assert.Equal(word, Json.Parse(output).Str("status"));
        Assert.Equal(5, textCode);
        Assert.Contains("start the sink", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsShowsSlotsSinksAndIndexesAndWatchEndsWithTheStream()
    {
        var (exitCode, output, _) = await Cdc.RunAsync(["metrics", "--metrics", Url]);
        var (watchCode, watchOutput, _) = await Cdc.RunAsync(["metrics", "--watch", "--metrics", Url]);

        Assert.Equal(0, exitCode);
        Assert.Contains("cdcaspire", output, StringComparison.Ordinal);
        Assert.Contains("2.0 KiB", output, StringComparison.Ordinal);
        Assert.Contains("1234.5", output, StringComparison.Ordinal);
        Assert.Contains("DLQ: 4 pending", output, StringComparison.Ordinal);
        Assert.Equal(0, watchCode);
        Assert.Contains("1000 B", watchOutput, StringComparison.Ordinal);
        Assert.Contains("2.0 KiB", watchOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServiceExitsThree()
    {
        var (exitCode, _, error) = await Cdc.RunAsync(["health", "--metrics", "http://127.0.0.1:1", "--timeout", "00:00:05"]);

        Assert.Equal(3, exitCode);
        Assert.StartsWith("cdc: Unavailable", error, StringComparison.Ordinal);
    }
}
