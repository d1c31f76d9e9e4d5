using System.Diagnostics;
using CdcAspire.Testing.Net;
using CdcAspire.Testing.Processes;

namespace CdcAspire.Sink.Tests;

/// <summary>A wrong or missing setting ends the sink with the message and exit code 1: no "Unhandled exception", no trace.</summary>
public sealed class ConfigurationErrorTests
{
    [Theory]
    [InlineData(null, "ConnectionStrings:appdb is not set")]
    [InlineData("Host=localhost;Password=hunter2;Port=notaport", "ConnectionStrings:appdb is not a valid Npgsql connection string")]
    public async Task ABadDatabaseConnectionStringIsAMessageAndExitCodeOne(string? connectionString, string expected)
    {
        var (exitCode, output) = await RunSinkAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__appdb"] = connectionString,
            ["ConnectionStrings__elasticsearch"] = "http://127.0.0.1:9",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cdc__Source", "bogus", "Cdc:Source is 'bogus'")]
    [InlineData("ConnectionStrings__elasticsearch", "", "ConnectionStrings:elasticsearch is not set")]
    [InlineData("Cdc__Grpc__Url", "ftp://127.0.0.1:5081", "Cdc:Grpc:Url = 'ftp://127.0.0.1:5081' is not an http:// or https:// URL")]
    public async Task ABadSettingIsAMessageAndExitCodeOne(string key, string value, string expected)
    {
        var (exitCode, output) = await RunSinkAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__appdb"] = "Host=127.0.0.1;Port=9;Username=postgres;Database=appdb",
            ["ConnectionStrings__elasticsearch"] = "http://127.0.0.1:9",
            [key] = value,
        });

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunSinkAsync(Dictionary<string, string?> environment)
    {
        var dll = SinkProcess.FindSinkAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
