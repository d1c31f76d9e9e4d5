using System.Diagnostics;
using CdcAspire.Metrics.Tests.Infrastructure;
using CdcAspire.Testing;

namespace CdcAspire.Metrics.Tests;

/// <summary>monitoring/ checked by promtool: the rule file is valid and its unit tests pass (a renamed metric fails here).</summary>
public sealed class AlertRuleTests
{
    private static string Promtool => File.Exists("/usr/bin/promtool") ? "/usr/bin/promtool"
        : throw new InvalidOperationException("promtool is not installed: apt-get install -y prometheus (scripts/test.sh does it).");

    [Fact]
    public async Task TheShippedRulesPassTheirPromtoolUnitTests()
    {
        var monitoring = Path.Combine(Repository.Root, "monitoring");
        var (code, output) = await RunAsync(monitoring, "test", "rules", "tests/cdc_alerts_test.yml");
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheShippedRulesAndTheTestCopyAreValidRuleFiles()
    {
        var (code, output) = await RunAsync(Path.Combine(Repository.Root, "monitoring"), "check", "rules", "cdc_alerts.yml");
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 9 rules found", output, StringComparison.Ordinal);

        var dir = Directory.CreateTempSubdirectory("cdc-rules-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "rules.yml"), PrometheusServer.TestRules("2s"), TestContext.Current.CancellationToken);
            (code, output) = await RunAsync(dir, "check", "rules", "rules.yml");
            Assert.True(code == 0, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ARenamedMetricFailsTheUnitTests()
    {
        // The unit tests must be able to fail: rename one metric in a copy of the rules and run them against it.
        var dir = Directory.CreateTempSubdirectory("cdc-rules-").FullName;
        try
        {
            var ct = TestContext.Current.CancellationToken;
            Directory.CreateDirectory(Path.Combine(dir, "tests"));
            var rules = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "monitoring", "cdc_alerts.yml"), ct);
            await File.WriteAllTextAsync(Path.Combine(dir, "cdc_alerts.yml"), rules.Replace("cdc_slot_active", "cdc_slot_is_active", StringComparison.Ordinal), ct);
            File.Copy(Path.Combine(Repository.Root, "monitoring", "tests", "cdc_alerts_test.yml"), Path.Combine(dir, "tests", "cdc_alerts_test.yml"));
            var (code, output) = await RunAsync(dir, "test", "rules", "tests/cdc_alerts_test.yml");
            Assert.NotEqual(0, code);
            Assert.Contains("CdcReplicationSlotInactive", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Promtool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
