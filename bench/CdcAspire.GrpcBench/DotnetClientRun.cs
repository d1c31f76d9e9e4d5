using System.Diagnostics;
using CdcAspire.Sink.V1;
using Grpc.Net.Client;

namespace CdcAspire.GrpcBench;

/// <summary>Sequential unary GetStatus calls with Grpc.Net.Client (as the CLI calls) for a fixed time, after a warm-up.</summary>
internal static class DotnetClientRun
{
    public static async Task<BenchResult> RunAsync(Uri address, TimeSpan duration)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var client = new SinkService.SinkServiceClient(channel);
        var request = new GetStatusRequest();
        for (var i = 0; i < 2000; i++)
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
