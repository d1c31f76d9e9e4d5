using System.Diagnostics;

namespace CdcAspire.Cli.Tests.Connector;

/// <summary>
/// Runs the real <c>cdc</c> executable (services/CdcAspire.Cli/bin/{Configuration}/net10.0/cdc.dll, built by the
/// project reference) as a process, isolated from the machine's Aspire variables, and bounded in time.
/// </summary>
internal static class CdcCli
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task<CdcResult> RunAsync(IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Only what a test sets: no address from the machine running the tests.
        start.Environment.Remove("services__connect__http__0");
        start.Environment.Remove("CDC_CONNECT_URL");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return new CdcResult(process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cdc {string.Join(' ', start.ArgumentList.Skip(1))} did not exit within {Limit}.");
        }
    }

    private static string DllPath() => CdcAspire.Testing.Repository.BuiltAssembly("services/CdcAspire.Cli", "cdc.dll");
}
