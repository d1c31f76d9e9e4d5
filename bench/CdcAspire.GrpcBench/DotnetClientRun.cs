using System.Diagnostics;
using CdcAspire.Grpc.Client;
using CdcAspire.Grpc.Tests.Interop;

namespace CdcAspire.GrpcBench;

/// <summary>Sequential unary calls with our client for a fixed time, after a warm-up.</summary>
internal static class DotnetClientRun
{
    public static async Task<BenchResult> RunAsync(Uri address, TimeSpan duration)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var echo = GrpcMethod.Unary<EchoRequest, EchoResponse>(InteropReflection.Descriptor.Services[0], "Echo");
        var request = new EchoRequest { Text = "bench" };
        var options = new CallOptions(null, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 2000; i++)
        {
            await channel.UnaryAsync(echo, request, options);
        }

        var latencies = new List<double>(100_000);
        var total = Stopwatch.StartNew();
        while (total.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            await channel.UnaryAsync(echo, request, options);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return BenchResult.FromLatencies(latencies, total.Elapsed.TotalSeconds);
    }
}
