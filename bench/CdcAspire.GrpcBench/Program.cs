using System.Globalization;
using CdcAspire.GrpcBench;

// Bounded: a few seconds per client (default 3, first argument overrides). Both clients call the same server.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
await using var server = await BenchServer.StartAsync();
var dotnet = await DotnetClientRun.RunAsync(server.Address, TimeSpan.FromSeconds(seconds));
var python = await PythonClientRun.RunAsync(server.Address, seconds);

Console.WriteLine("| client → sink gRPC stack (loopback, unary GetStatus, sequential) | calls/s | p50 ms | p99 ms |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine(dotnet.ToMarkdownRow("Grpc.Net.Client 2.85 → Grpc.AspNetCore 2.85"));
Console.WriteLine(python.ToMarkdownRow("python3-grpcio (Debian) → Grpc.AspNetCore 2.85"));
