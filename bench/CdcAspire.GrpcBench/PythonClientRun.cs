using System.Diagnostics;
using System.Globalization;

namespace CdcAspire.GrpcBench;

/// <summary>
/// python3-grpcio (Debian) as the client: stubs generated with protoc + grpc_python_plugin, then bench_client.py
/// run with /usr/bin/python3 (the python3 first on PATH may lack grpc).
/// </summary>
internal static class PythonClientRun
{
    public static async Task<BenchResult> RunAsync(Uri address, double seconds)
    {
        var stubs = Directory.CreateTempSubdirectory("cdc-bench-py-").FullName;
        var protos = Path.Combine(AppContext.BaseDirectory, "Protos");
        await RunAsync("protoc", ["-I", protos, "--python_out=" + stubs, "--grpc_out=" + stubs,
            "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin", Path.Combine(protos, "sink.proto")]);
        var output = await RunAsync("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "bench_client.py"), stubs,
            $"{address.Host}:{address.Port}", seconds.ToString(CultureInfo.InvariantCulture)]);
        var parts = output.Trim().Split(' ');
        double Part(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
        return new BenchResult((long)Part(0), Part(1), Part(2), Part(3));
    }

    private static async Task<string> RunAsync(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {await stderr}");
    }
}
