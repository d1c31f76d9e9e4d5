using CdcAspire.Testing.Net;
using System.Diagnostics;
using System.Globalization;
using CdcAspire.Testing.Elasticsearch;
using CdcAspire.Testing.Processes;
using CdcAspire.Testing.Postgres;

namespace CdcAspire.Benchmarks;

/// <summary>
/// The sink as a separate process (the Release build, wired by the environment variables the AppHost injects, as
/// SinkScenario does) against the Elasticsearch test server in this process. One burst in one transaction; the
/// sink's VmRSS/VmHWM are sampled from /proc until the slot confirms past the burst.
/// </summary>
internal static class SinkUnderBurst
{
    private const int WarmUpRows = 20_000;

    public sealed record Result(double IdleRssMiB, double PeakRssMiB, double CatchUpRate, TimeSpan CatchUp);

    public static async Task<Result> RunAsync(PostgresCluster cluster, string repositoryRoot, int rows, int round, IReadOnlyDictionary<string, string> extraEnvironment, CancellationToken ct)
    {
        var name = $"mem_{rows}_{round}";
        var db = await BenchDatabase.CreateAsync(cluster, name, withSeedTables: true, ct);
        await using var es = await ElasticsearchTestServer.StartAsync(ct: ct);
        var dll = SinkProcess.FindSinkAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        var env = start.Environment;
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}";
        env["DOTNET_ENVIRONMENT"] = "Production";
        env["Logging__Console__FormatterName"] = "simple";
        env["ConnectionStrings__appdb"] = db.ConnectionString;
        env["ConnectionStrings__elasticsearch"] = $"http://{es.Uri.Host}:{es.Uri.Port}";
        env["Cdc__SlotName"] = name;
        env["Cdc__PublicationName"] = BenchDatabase.Publication;
        // Off: a heartbeat between the mark and the commit could be confirmed before the burst (see BenchDatabase).
        env["Cdc__HeartbeatInterval"] = "00:00:00";
        env["Cdc__IndexTemplatesPath"] = Path.Combine(repositoryRoot, "index-templates");
        env[$"Cdc__Tables__public.{BenchDatabase.Table}__Index"] = "bench-events";
        foreach (var (key, value) in extraEnvironment)
        {
            env[key] = value;
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null && output.Count < 2000) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null && output.Count < 2000) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var peak = 0L;
        var sampler = Task.Run(async () =>
        {
            // Every 20 ms, bounded by the run: VmHWM is the kernel's own peak, the samples are a cross-check.
            while (!sampling.IsCancellationRequested && !process.HasExited)
            {
                var (rss, hwm) = ReadRss(process.Id);
                Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), Math.Max(rss, hwm)));
                try
                {
                    await Task.Delay(20, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }, CancellationToken.None);

        try
        {
            try
            {
                await db.WaitActiveAsync(name, TimeSpan.FromSeconds(90), ct);
            }
            catch (TimeoutException ex)
            {
                throw new InvalidOperationException(ex.Message + "\n--- sink output ---\n" + string.Join('\n', output.TakeLast(40)), ex);
            }

            // A small warm-up burst first: the measured catch-up is then the steady state, not the JIT's first minutes.
            var warmUp = await db.CommitBurstAsync(WarmUpRows, ct);
            await db.WaitConfirmedAsync(name, warmUp, TimeSpan.FromMinutes(2), ct);
            await Task.Delay(1000, ct);
            var idle = ReadRss(process.Id).Rss;
            var burst = await db.CommitBurstAsync(rows, ct);
            var catchUp = await db.WaitConfirmedAsync(name, burst, TimeSpan.FromMinutes(10), ct);
            var (_, hwm) = ReadRss(process.Id);
            await sampling.CancelAsync();
            await sampler;
            var peakKb = Math.Max(Interlocked.Read(ref peak), hwm);
            if (es.Counters.BulkItems < rows + WarmUpRows)
            {
                throw new InvalidOperationException($"Elasticsearch got {es.Counters.BulkItems} bulk items, expected {rows + WarmUpRows}.");
            }

            return new Result(idle / 1024.0, peakKb / 1024.0, rows / catchUp.TotalSeconds, catchUp);
        }
        finally
        {
            await sampling.CancelAsync();
            await StopAsync(process);
            await db.ExecuteAsync($"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{name}' AND NOT active", CancellationToken.None);
        }
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>VmRSS and VmHWM in KiB from /proc/&lt;pid&gt;/status (0 when the process is gone).</summary>
    private static (long Rss, long Hwm) ReadRss(int pid)
    {
        long rss = 0, hwm = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = ParseKb(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = ParseKb(line);
                }
            }
        }
        catch (IOException)
        {
            // Exited between the check and the read.
        }

        return (rss, hwm);
    }

    private static long ParseKb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

}
