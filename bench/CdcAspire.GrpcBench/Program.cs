using System.Globalization;
using CdcAspire.GrpcBench;

// Bounded: a few seconds per client (default 3, first argument overrides).
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
await using var server = await BenchServer.StartAsync();
var ours = await DotnetClientRun.RunAsync(server.Address, TimeSpan.FromSeconds(seconds));
var python = await PythonClientRun.RunAsync(server.Address, seconds);

Console.WriteLine("| client → server (loopback, unary Echo, sequential) | calls/s | p50 ms | p99 ms |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine(ours.ToMarkdownRow("CdcAspire.Grpc → CdcAspire.Grpc"));
Console.WriteLine(python.ToMarkdownRow("python3-grpcio 1.51 → CdcAspire.Grpc"));
