using System.Globalization;
using CdcAspire.Benchmarks;
using CdcAspire.Testing.Postgres;

// Every part is bounded in count and time; every number is also shown against a reference measured in this run.
if (args is ["ack-peer", "--port", var peerPort, "--upstream", var upstream])
{
    // The acknowledging bulk endpoint of the deployed-shape benchmark, as a process of its own (see AckPeer).
    using var stopPeer = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopPeer.Cancel(); };
    await AckPeer.RunAsync(int.Parse(peerPort, CultureInfo.InvariantCulture), new Uri(upstream), stopPeer.Token);
    return;
}

var options = BenchOptions.Parse(args);
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(options.Quick ? 10 : 45));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var ct = cts.Token;
var results = new Results();
var root = CdcAspire.Testing.Repository.Root;

await using (var cluster = await PostgresCluster.StartAsync(cancellationToken: ct))
{
    var db = await BenchDatabase.CreateAsync(cluster, "bench", withSeedTables: false, ct);
    if (options.Parts.Contains("throughput"))
    {
        // A discarded warm-up round: the in-process code is JIT-compiled and tiered up before anything is recorded.
        Console.Error.WriteLine("throughput warm-up (not recorded)");
        await ThroughputRound.RunAsync(db, Math.Min(options.Events, 50_000), -1, new Results(), ct);
        for (var round = 0; round < options.Runs; round++)
        {
            Console.Error.WriteLine($"throughput round {round + 1}/{options.Runs} ({options.Events:N0} rows)");
            await ThroughputRound.RunAsync(db, options.Events, round, results, ct);
        }
    }

    if (options.Parts.Contains("deployed"))
    {
        foreach (var peer in options.DeployedPeers)
        {
            for (var round = 0; round < options.Runs; round++)
            {
                Console.Error.WriteLine($"deployed shape round {round + 1}/{options.Runs}: sink process -> {peer} peer process, {options.DeployedRows:N0} products rows");
                var deployed = await DeployedRun.RunAsync(cluster, peer, options.DeployedRows, round, options.SinkEnvironment, ct);
                results.Add($"dep.{peer}.rate", deployed.Rate);
                results.Add($"dep.{peer}.recv", deployed.ReferenceRate);
                results.Add($"dep.{peer}.ratio", deployed.Rate / deployed.ReferenceRate);
                results.Add($"dep.{peer}.cpu", deployed.CpuSecondsPer100k);
                results.Add($"dep.{peer}.cold", deployed.ColdRate);
                results.Add($"dep.{peer}.coldratio", deployed.ColdRate / deployed.ReferenceRate);
                results.Add($"dep.{peer}.coldcpu", deployed.ColdCpuSecondsPer100k);
                if (deployed.BulkRequests >= 0)
                {
                    results.Add($"dep.{peer}.requests", deployed.BulkRequests);
                }
            }
        }
    }

    if (options.Parts.Contains("latency"))
    {
        Console.Error.WriteLine("latency warm-up (not recorded)");
        await LatencyRun.RunAsync(db, options.LatencyRate, TimeSpan.FromSeconds(2), -1, ct);
        for (var round = 0; round < options.Runs; round++)
        {
            Console.Error.WriteLine($"latency round {round + 1}/{options.Runs}");
            var latency = await LatencyRun.RunAsync(db, options.LatencyRate, options.LatencyDuration, round, ct);
            results.Add("lat.p50", latency.P50Ms);
            results.Add("lat.p99", latency.P99Ms);
            results.Add("lat.max", latency.MaxMs);
            results.Add("lat.rate", latency.AchievedRate);
            results.Add("lat.over50", latency.Over50Ms);
            results.Add("lat.gcpause", latency.GcPauseMs);
            results.Add("lat.gcs", latency.Gen0To2Collections);
            results.Add("lat.load", latency.LoadAverage);
        }
    }

    if (options.Parts.Contains("deployed-latency"))
    {
        foreach (var peer in options.DeployedPeers)
        {
            for (var round = 0; round < options.Runs; round++)
            {
                Console.Error.WriteLine($"deployed-shape latency round {round + 1}/{options.Runs}: sink process -> {peer} peer process, {options.LatencyRate:N0} ev/s");
                var latency = await DeployedRun.LatencyAsync(cluster, peer, options.LatencyRate, options.LatencyDuration, round, options.SinkEnvironment, ct);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {latency.Samples} transactions: p50 {latency.P50Ms:0.0} ms, p99 {latency.P99Ms:0.0} ms, max {latency.MaxMs:0.0} ms, {latency.Over50Ms} over 50 ms, load {latency.LoadAverage}"));
                results.Add($"deplat.{peer}.p50", latency.P50Ms);
                results.Add($"deplat.{peer}.p99", latency.P99Ms);
                results.Add($"deplat.{peer}.max", latency.MaxMs);
                results.Add($"deplat.{peer}.rate", latency.AchievedRate);
                results.Add($"deplat.{peer}.over50", latency.Over50Ms);
                results.Add($"deplat.{peer}.load", latency.LoadAverage);
            }
        }
    }

    if (options.Parts.Contains("memory"))
    {
        for (var round = 0; round < options.MemoryRuns; round++)
        {
            foreach (var size in options.MemoryBursts)
            {
                Console.Error.WriteLine($"memory round {round + 1}/{options.MemoryRuns}: sink process, {size:N0}-row burst");
                var memory = await SinkUnderBurst.RunAsync(cluster, root, size, round, options.SinkEnvironment, ct);
                results.Add($"mem.idle.{size}", memory.IdleRssMiB);
                results.Add($"mem.peak.{size}", memory.PeakRssMiB);
                results.Add($"mem.rate.{size}", memory.CatchUpRate);
            }
        }
    }
}

var header = string.Create(CultureInfo.InvariantCulture,
    $"## CdcAspire CDC benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {(options.Quick ? "quick" : "full")} run, medians of {options.Runs} round(s)");
var table = ResultRow.ToMarkdown(Report.Rows(results, options), header);
Console.WriteLine(table);
var resultsDir = Path.Combine(root, "bench", "results");
Directory.CreateDirectory(resultsDir);
await File.WriteAllTextAsync(Path.Combine(resultsDir, "latest.md"), table, CancellationToken.None);
