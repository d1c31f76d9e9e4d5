using System.Globalization;
using CdcAspire.GrpcBench;

// Bounded: a few seconds per client (default 3, first argument overrides). Both clients call the same server, each
// from a process of its own (as the CLI and python would), so neither competes with the server inside its process.
if (args.Length == 3 && args[0] == DotnetClientRun.ClientSwitch)
{
    var result = await DotnetClientRun.RunAsync(new Uri(args[1]), TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture)));
    Console.WriteLine(result.ToLine());
    return;
}

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
await using var server = await BenchServer.StartAsync();

// The server's code is tiered up by the JIT while the first client runs: warm it with a discarded run first, or
// whichever client goes first measures a half-compiled server.
await DotnetClientRun.RunInProcessOfItsOwnAsync(server.Address, seconds);
var dotnet = await DotnetClientRun.RunInProcessOfItsOwnAsync(server.Address, seconds);
var python = await PythonClientRun.RunAsync(server.Address, seconds);

Console.WriteLine("| client → sink gRPC stack (loopback, unary GetStatus, sequential) | calls/s | p50 ms | p99 ms |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine(dotnet.ToMarkdownRow("Grpc.Net.Client 2.85 → Grpc.AspNetCore 2.85"));
Console.WriteLine(python.ToMarkdownRow("python3-grpcio (Debian) → Grpc.AspNetCore 2.85"));
