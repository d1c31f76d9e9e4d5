using CdcAspire.Testing;

namespace CdcAspire.Cli.Tests.Infrastructure;

/// <summary>Runs the real <c>cdc</c> executable (cdc.dll, built by the project reference) as a process.</summary>
internal static class Cdc
{
    private static readonly string[] Services = ["sink", "dlq", "consistency", "metrics"];

    public static ProcessRunner Start(IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        // Isolate from the machine: no Aspire reference variables or token unless a test sets them.
        var env = new Dictionary<string, string?> { ["CDC_API_TOKEN"] = null };
        foreach (var service in Services)
        {
            foreach (var endpoint in new[] { "grpc", "https", "http" })
            {
                env[$"services__{service}__{endpoint}__0"] = null;
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        return ProcessRunner.Start(dotnet, [Repository.BuiltAssembly("services/CdcAspire.Cli", "cdc.dll"), .. args], env);
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        await using var process = Start(args, environment);
        var (exitCode, output) = await process.WaitForExitAsync(TestTimeouts.Process);
        return (exitCode, output, process.StandardError);
    }
}
