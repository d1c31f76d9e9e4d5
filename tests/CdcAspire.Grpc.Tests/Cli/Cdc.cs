using CdcAspire.Grpc.Tests.Infrastructure;

namespace CdcAspire.Grpc.Tests.Cli;

/// <summary>Runs the real <c>cdc</c> executable (cdc.dll, built by the project reference) as a process.</summary>
internal static class Cdc
{
    public static ProcessRunner Start(IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var env = new Dictionary<string, string?>
        {
            // Isolate from the machine: no Aspire reference variables or token unless a test sets them.
            ["services__sink__grpc__0"] = null,
            ["services__sink__http__0"] = null,
            ["CDC_API_TOKEN"] = null,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        return ProcessRunner.Start(dotnet, [DllPath(), .. args], env);
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        await using var process = Start(args, environment);
        var (exitCode, output) = await process.WaitForExitAsync(TestTimeouts.Process);
        return (exitCode, output, process.StandardError);
    }

    /// <summary>services/CdcAspire.Cli/bin/{Configuration}/{tfm}/cdc.dll, found from this test assembly's output path.</summary>
    private static string DllPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CdcAspire.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Repository root not found."),
            "services", "CdcAspire.Cli", "bin", configuration, tfm, "cdc.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build services/CdcAspire.Cli first.", path);
    }
}
