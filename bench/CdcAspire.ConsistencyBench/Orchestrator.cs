using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CdcAspire.Testing;
using CdcAspire.Testing.Net;
using CdcAspire.Testing.Postgres;
using Npgsql;

namespace CdcAspire.ConsistencyBench;

/// <summary>
/// Sets the stage (a throwaway PostgreSQL cluster with N rows, the Elasticsearch test server as its own process
/// holding exactly the documents the sink would write), then runs each measured part as a child process.
/// </summary>
internal static class Orchestrator
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rows = 1_000_000;
        string[] parts = ["pg", "es", "check", "warm"];
        var childEnvironment = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                rows = 100_000;
            }
            else if (args[i] == "--rows" && i + 1 < args.Length)
            {
                rows = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--child-env" && i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal))
            {
                // Runtime knobs for the measured process only (e.g. DOTNET_GCDynamicAdaptationMode=0), not the server.
                var pair = args[++i].Split('=', 2);
                childEnvironment[pair[0]] = pair[1];
            }
            else if (args[i] == "--parts" && i + 1 < args.Length)
            {
                parts = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }

        Console.WriteLine($"Consistency benchmark: {rows:N0} rows, {Environment.ProcessorCount} cores (shared machine: numbers are noisy)");
        await using var cluster = await PostgresCluster.StartAsync(cancellationToken: cancellationToken);
        var appdb = await cluster.CreateDatabaseAsync("bench", cancellationToken);
        var clock = Stopwatch.StartNew();
        await cluster.ExecuteAsync("bench", $"""
            CREATE TABLE bench_items (
                id bigint PRIMARY KEY, name text NOT NULL, price numeric(12,2), tags text[], meta jsonb,
                created_at timestamptz, active boolean);
            INSERT INTO bench_items
            SELECT g, 'Item ' || g || ' ünïcødé', (g % 100000) / 100.0, ARRAY['t' || (g % 7), 'x'],
                   jsonb_build_object('g', g, 'ok', g % 2 = 0), timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', g % 3 = 0
            FROM generate_series(1, {rows}) g;
            ANALYZE bench_items;
            """, cancellationToken);
        Console.WriteLine($"PostgreSQL loaded in {clock.Elapsed.TotalSeconds:0.0} s");

        var port = FreePort.Next();
        using var server = Start(Repository.BuiltAssembly("tests/CdcAspire.Testing.Host", "CdcAspire.Testing.Host.dll"), ["--port", port.ToString(CultureInfo.InvariantCulture)], []);
        var esUri = $"http://127.0.0.1:{port}";
        var environment = BenchEnvironment.For(appdb, esUri);
        foreach (var (key, value) in childEnvironment)
        {
            environment[key] = value;
        }

        await WaitForAsync(esUri, cancellationToken);
        clock.Restart();
        await LoadDocumentsAsync(appdb, esUri, cancellationToken);
        Console.WriteLine($"Elasticsearch test server loaded in {clock.Elapsed.TotalSeconds:0.0} s (server RSS {RssOf(server.Id) / 1024:N0} MiB)");

        var results = new List<string[]>();
        var postmaster = int.Parse(File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        foreach (var part in parts)
        {
            var serverCpu = CpuSeconds(server.Id, withChildren: false);
            var postgresCpu = PostgresCpuSeconds(postmaster);
            var line = await RunChildAsync(part, environment, cancellationToken);
            await Task.Delay(500, cancellationToken); // The child's backend exits with it: let the postmaster reap it (its CPU moves to the postmaster's children total then).
            serverCpu = CpuSeconds(server.Id, withChildren: false) - serverCpu;
            postgresCpu = PostgresCpuSeconds(postmaster) - postgresCpu;
            var f = line.Split(' ');
            var n = long.Parse(f[2], CultureInfo.InvariantCulture);
            var seconds = double.Parse(f[3], CultureInfo.InvariantCulture);
            var both = part == "warm" ? "(3 checks) " : "";
            results.Add([part switch { "pg" => "PostgreSQL alone (keyset pages, text values)", "es" => "Test server alone (PIT + search_after)", "rows" => "Rows as documents alone (service's row reader and encoder)", "warm" => "Full check, third run in the same process (as the running service does)", _ => "Full check, fresh process (service code)" },
                n.ToString("N0", CultureInfo.InvariantCulture), seconds.ToString("0.00", CultureInfo.InvariantCulture),
                (n / seconds).ToString("N0", CultureInfo.InvariantCulture), (long.Parse(f[4], CultureInfo.InvariantCulture) / 1024).ToString("N0", CultureInfo.InvariantCulture),
                double.Parse(f[5], CultureInfo.InvariantCulture).ToString("0.0", CultureInfo.InvariantCulture),
                both + serverCpu.ToString("0.0", CultureInfo.InvariantCulture), both + postgresCpu.ToString("0.0", CultureInfo.InvariantCulture),
                f.Length > 6 ? f[6] : ""]);
        }

        Console.WriteLine();
        Console.WriteLine("| part | rows | seconds | rows/s | peak RSS (MiB) | CPU s: reader | CPU s: test server | CPU s: PostgreSQL | notes |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {string.Join(" | ", r)} |");
        }

        server.Kill(entireProcessTree: true);
        return 0;
    }

    /// <summary>Bulk-loads exactly the documents the check expects, made by the service's own row encoder (via a check-free read).</summary>
    private static async Task LoadDocumentsAsync(string appdb, string esUri, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(esUri), Timeout = TimeSpan.FromMinutes(5) };
        // The documents as the sink writes them: the same encoder through a child-free path is not needed here, since
        // PostgreSQL's to_jsonb of these column types gives different text (e.g. timestamps): read them through the
        // consistency service's own encoder instead.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings { DisableDefaults = true });
        foreach (var (key, value) in BenchEnvironment.For(appdb, esUri))
        {
            builder.Configuration[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        Microsoft.Extensions.DependencyInjection.MetricsServiceExtensions.AddMetrics(builder.Services);
        CdcAspire.Consistency.Extensions.ConsistencyExtensions.AddConsistency(builder);
        using var host = builder.Build();
        var checker = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CdcAspire.Consistency.Checking.TableChecker>(host.Services);
        var reader = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CdcAspire.Consistency.Rows.RowReader>(host.Services);
        var table = await checker.DescribeAsync(CdcAspire.Pipeline.Changes.TableId.Parse(BenchEnvironment.Table), cancellationToken);
        var body = new MemoryStream();
        var count = 0;
        await foreach (var page in reader.ReadPagesAsync(table, 5000, cancellationToken))
        {
            using (page)
            {
                foreach (var row in page.Items)
                {
                    body.Write(Encoding.UTF8.GetBytes($"{{\"index\":{{\"_index\":\"{BenchEnvironment.Index}\",\"_id\":\"{row.Id}\"}}}}\n"));
                    body.Write(row.Document.Span);
                    body.WriteByte((byte)'\n');
                    if (++count % 5000 == 0)
                    {
                        await PostAsync(http, body, cancellationToken);
                    }
                }
            }
        }

        await PostAsync(http, body, cancellationToken);
        using var refresh = await http.PostAsync($"{BenchEnvironment.Index}/_refresh", null, cancellationToken);
        // Elasticsearch sorts from doc values it writes while indexing; the test server builds them the first time a
        // field is sorted on. Sort once now, as part of loading, so no measured part pays for it.
        using var sorted = await http.PostAsync($"{BenchEnvironment.Index}/_search",
            new StringContent("{\"size\":1,\"sort\":[{\"id\":\"asc\"}]}", Encoding.UTF8, "application/json"), cancellationToken);
        sorted.EnsureSuccessStatusCode();
    }

    private static async Task PostAsync(HttpClient http, MemoryStream body, CancellationToken cancellationToken)
    {
        if (body.Length == 0)
        {
            return;
        }

        using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await http.PostAsync("_bulk", content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || text.Contains("\"errors\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Bulk load failed: {text[..Math.Min(text.Length, 500)]}");
        }

        body.SetLength(0);
    }

    private static async Task<string> RunChildAsync(string part, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        using var child = Start(typeof(Orchestrator).Assembly.Location, ["--child", part], environment);
        var output = await child.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await child.StandardError.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        return line ?? throw new InvalidOperationException($"Part {part} failed ({child.ExitCode}):\n{output}\n{errors}");
    }

    private static Process Start(string dll, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        return Process.Start(start)!;
    }

    private static async Task WaitForAsync(string uri, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 150; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(uri), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new InvalidOperationException($"The Elasticsearch test server at {uri} did not start.");
    }

    /// <summary>utime + stime (and, with children, the reaped children's) of a process, in seconds (/proc/PID/stat, clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid, bool withChildren)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
            if (withChildren)
            {
                ticks += long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
            }

            return ticks / 100.0;
        }
        catch (IOException)
        {
            return 0; // Exited meanwhile: its time is in its parent's reaped-children total.
        }
    }

    /// <summary>The whole cluster's CPU: the postmaster with its reaped children, plus every live child (backends, walsender, workers).</summary>
    private static double PostgresCpuSeconds(int postmaster)
    {
        var total = CpuSeconds(postmaster, withChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != postmaster)
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (f[1] == postmaster.ToString(CultureInfo.InvariantCulture))
                    {
                        total += CpuSeconds(pid, withChildren: false);
                    }
                }
                catch (IOException)
                {
                }
            }
        }

        return total;
    }

    private static long RssOf(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
