using System.Diagnostics;
using CdcAspire.Sink.V1;
using Grpc.Net.Client;

namespace CdcAspire.GrpcBench;

/// <summary>Sequential unary GetStatus calls with Grpc.Net.Client (as the CLI calls) for a fixed time, after a warm-up.</summary>
internal static class DotnetClientRun
{
    public const string ClientSwitch = "--client";

    /// <summary>Runs this program again as the client, in a process of its own, and reads its result line.</summary>
    public static async Task<BenchResult> RunInProcessOfItsOwnAsync(Uri address, double seconds)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var self = typeof(DotnetClientRun).Assembly.Location;
        var output = await PythonClientRun.RunAsync(dotnet,
            [self, ClientSwitch, address.ToString(), seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return BenchResult.Parse(output);
    }

    public static async Task<BenchResult> RunAsync(Uri address, TimeSpan duration)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var client = new SinkService.SinkServiceClient(channel);
        var request = new GetStatusRequest();
        // Warm up for as long as the measurement: the client's tiered compilation (tier 0, instrumented, tier 1)
        // finishes in the background, and on a loaded 2-core machine a fixed count of calls ended before it did.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < duration)
        {
            await client.GetStatusAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
        }

        var latencies = new List<double>(100_000);
        var total = Stopwatch.StartNew();
        while (total.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            await client.GetStatusAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return BenchResult.FromLatencies(latencies, total.Elapsed.TotalSeconds);
    }
}
