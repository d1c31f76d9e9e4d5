using System.Diagnostics;
using System.Globalization;
using CdcAspire.Testing;
using CdcAspire.Testing.Net;
using CdcAspire.Testing.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Benchmarks;

/// <summary>
/// Throughput in the shape users deploy: the sink as its own Release process with default logging, over HTTP to a
/// separate process — either a bulk endpoint that acknowledges every action at once (<see cref="AckPeer"/>, so
/// the server's cost does not hide ours) or the Elasticsearch test server —, on the seed's <c>products</c> rows
/// (11 columns: varchar, a 200-character text, numeric, text[], jsonb, timestamps, boolean), <c>Rows</c> rows in one
/// INSERT, commit → the sink's slot confirmed past it. <c>pg_recvlogical</c> reads the same changes from its own slot
/// in the same round, after the sink (so they never share the two cores), and the sink's CPU seconds are read from
/// /proc.
/// </summary>
internal static class DeployedRun
{
    private const int WarmUpRows = 20_000;
    private const int WarmUpBursts = 2;

    /// <summary>The throughput burst's warm-ups are as large as the burst itself, up to this many rows.</summary>
    private const int MaxWarmUpRows = 200_000;

    /// <param name="ColdRate">The first burst after the sink started (the first warm-up), while the JIT is still tiering its code up.</param>
    public sealed record Result(double Rate, double ReferenceRate, double CpuSecondsPer100k, long BulkRequests, double ColdRate, double ColdCpuSecondsPer100k);

    /// <summary>Commit → slot-confirmed latency at a steady rate in the deployed shape (see <see cref="DeployedLatency"/>).</summary>
    public sealed record LatencyResult(double P50Ms, double P99Ms, double MaxMs, int Samples, double AchievedRate, int Over50Ms, double LoadAverage);

    public static Task<Result> RunAsync(PostgresCluster cluster, string peer, int rows, int round, IReadOnlyDictionary<string, string> sinkEnvironment, CancellationToken ct) =>
        WithSinkAsync(cluster, peer, $"dep_{peer}_{round}", sinkEnvironment, Math.Min(rows, MaxWarmUpRows), async stage =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            await using (var create = new NpgsqlCommand($"SELECT pg_create_logical_replication_slot('{stage.Slot}_ref', 'pgoutput')", stage.Connection))
            {
                await create.ExecuteNonQueryAsync(ct);
            }

            // A marker for a profiler attached to the sink (see .notes/bulk.md): the measured burst starts here.
            Console.Error.WriteLine($"  sink pid {stage.Sink.Id}: warmed up, committing the burst");
            var requestsBefore = await PeerRequestsAsync(stage.AckPeerPort, ct);
            var cpuBefore = CpuSeconds(stage.Sink.Id);
            var burst = await CommitProductsAsync(stage.Connection, rows, ct);
            var elapsed = await WaitConfirmedAsync(stage.Connection, stage.Slot, burst, TimeSpan.FromMinutes(10), ct);
            var cpu = CpuSeconds(stage.Sink.Id) - cpuBefore;
            Console.Error.WriteLine($"  sink pid {stage.Sink.Id}: burst confirmed");
            var requests = await PeerRequestsAsync(stage.AckPeerPort, ct) - requestsBefore;

            var reference = await RecvLogicalAsync(cluster, stage.Database, stage.Slot + "_ref", stage.Publication, burst.Mark, ct);
            return new Result(rows / elapsed.TotalSeconds, rows / reference.TotalSeconds, cpu * 100_000 / rows, stage.AckPeerPort is null ? -1 : requests,
                stage.FirstBurst.Rows / stage.FirstBurst.Elapsed.TotalSeconds, stage.FirstBurst.CpuSeconds * 100_000 / stage.FirstBurst.Rows);
        }, ct);

    private static readonly TimeSpan LatencyWarmUp = TimeSpan.FromSeconds(8);

    public static Task<LatencyResult> LatencyAsync(
        PostgresCluster cluster, string peer, int eventsPerSecond, TimeSpan duration, int round, IReadOnlyDictionary<string, string> sinkEnvironment, CancellationToken ct) =>
        WithSinkAsync(cluster, peer, $"deplat_{peer}_{round}", sinkEnvironment, WarmUpRows, async stage =>
        {
            // The warm-up bursts are large transactions; this workload's paths (many small ones) are still being
            // recompiled by the tiering JIT for the first seconds (500-1,600 methods/s, most of a core, in counters taken
            // during a run), the window of every stall that put a round's p99 at 60-110 ms. A user's sink runs for days:
            // measure it warm, after the same workload has run unmeasured.
            await DeployedLatency.MeasureAsync(stage.Connection, stage.ConnectionString, stage.Slot, eventsPerSecond, LatencyWarmUp, ct);
            return await DeployedLatency.MeasureAsync(stage.Connection, stage.ConnectionString, stage.Slot, eventsPerSecond, duration, ct);
        }, ct);

    /// <summary>
    /// A database with the seed schema, the test server (and the acknowledging peer in front of it for <c>ack</c>),
    /// the sink process with default logging streaming from its own slot, warmed up; then <paramref name="measure"/>.
    /// </summary>
    private static async Task<T> WithSinkAsync<T>(
        PostgresCluster cluster, string peer, string name, IReadOnlyDictionary<string, string> sinkEnvironment, int warmUpRows, Func<Stage, Task<T>> measure, CancellationToken ct)
    {
        var cs = await cluster.CreateDatabaseAsync(name, ct);
        await cluster.ExecuteAsync(name, SeedSchema.Ddl, ct);
        var esPort = FreePort.Next();
        using var es = Start(Repository.BuiltAssembly("tests/CdcAspire.Testing.Host", "CdcAspire.Testing.Host.dll"), ["--port", Str(esPort)], new());
        var target = esPort;
        Process? ackPeer = null;
        if (peer == "ack")
        {
            target = FreePort.Next();
            ackPeer = Start(typeof(DeployedRun).Assembly.Location, ["ack-peer", "--port", Str(target), "--upstream", $"http://127.0.0.1:{esPort}"], new());
        }

        var slot = name;
        var publication = name + "_pub";
        // CDC_BENCH_SINK_DLL: measure a published sink instead of the build output (e.g. one published with ReadyToRun).
        var sinkDll = Environment.GetEnvironmentVariable("CDC_BENCH_SINK_DLL") is { Length: > 0 } published ? published : Testing.Processes.SinkProcess.FindSinkAssembly();
        // Default logging: no Logging__* overrides. The sink's appsettings.json follows the seed's three tables.
        using var sink = Start(sinkDll, [], new(sinkEnvironment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__appdb"] = cs,
            ["ConnectionStrings__elasticsearch"] = $"http://127.0.0.1:{target}",
            ["Cdc__SlotName"] = slot,
            ["Cdc__PublicationName"] = publication,
            ["Cdc__HeartbeatInterval"] = "00:00:00",
            ["Cdc__IndexTemplatesPath"] = Path.Combine(Repository.Root, "index-templates"),
        });
        var log = Drain(sink);
        try
        {
            await using var connection = new NpgsqlConnection(cs);
            await connection.OpenAsync(ct);
            await WaitAsync(connection, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1 AND active", slot, TimeSpan.FromSeconds(120), log, ct);

            // Two warm-up bursts: a profile of the sink after a single one showed a third of its CPU in the measured
            // burst on the tiering JIT thread (methods still moving from instrumented to optimized code); with
            // warm-ups smaller than the burst, dotnet-counters still showed ~0.7 s/s of JIT in its first seconds. The
            // first one is timed too: what a freshly started sink does with its first burst.
            FirstBurst first = default;
            for (var w = 0; w < WarmUpBursts; w++)
            {
                var cpuBefore = CpuSeconds(sink.Id);
                var warmUp = await CommitProductsAsync(connection, warmUpRows, ct);
                var elapsed = await WaitConfirmedAsync(connection, slot, warmUp, TimeSpan.FromMinutes(3), ct);
                if (w == 0)
                {
                    first = new FirstBurst(warmUpRows, elapsed, CpuSeconds(sink.Id) - cpuBefore);
                }
            }

            return await measure(new Stage(name, cs, connection, slot, publication, sink, ackPeer is null ? null : target, first));
        }
        finally
        {
            Stop(sink);
            if (ackPeer is not null)
            {
                Stop(ackPeer);
                ackPeer.Dispose();
            }

            Stop(es);
            await cluster.ExecuteAsync(name,
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = current_database() AND NOT active", CancellationToken.None);
        }
    }

    private sealed record Stage(string Database, string ConnectionString, NpgsqlConnection Connection, string Slot, string Publication, Process Sink, int? AckPeerPort, FirstBurst FirstBurst);

    private readonly record struct FirstBurst(int Rows, TimeSpan Elapsed, double CpuSeconds);

    /// <summary>Seed-shaped <c>products</c> rows ($1 of them): 11 columns with text, numeric, text[], jsonb, timestamps.</summary>
    internal const string InsertProductsSql =
        """
            INSERT INTO products (name, description, price, category, tags, inventory_count, is_active, metadata)
            SELECT 'Product ' || g, repeat('Sturdy, light and made to last. ', 7) || g, (g % 100000) / 100.0 + 0.99,
                   'category-' || (g % 20), ARRAY['tag' || (g % 7), 'tag' || (g % 11), 'sale'], g % 500, g % 3 <> 0,
                   jsonb_build_object('color', 'c' || (g % 9), 'weight', g % 100, 'dims', jsonb_build_array(g % 10, g % 20, g % 30))
            FROM generate_series(1, $1) g
        """;

    /// <summary>One INSERT of seed-shaped products; returns the WAL mark between the changes and the commit.</summary>
    private static async Task<Burst> CommitProductsAsync(NpgsqlConnection connection, int rows, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var insert = new NpgsqlCommand(InsertProductsSql, connection, tx))
        {
            insert.Parameters.Add(new() { Value = rows });
            insert.CommandTimeout = 600;
            await insert.ExecuteNonQueryAsync(ct);
        }

        ulong mark;
        await using (var lsn = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()", connection, tx))
        {
            mark = (ulong)(NpgsqlLogSequenceNumber)(await lsn.ExecuteScalarAsync(ct))!;
        }

        var started = Stopwatch.GetTimestamp();
        await tx.CommitAsync(ct);
        return new Burst(rows, mark, started);
    }

    private static async Task<TimeSpan> WaitConfirmedAsync(NpgsqlConnection connection, string slot, Burst burst, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (await BenchDatabase.ConfirmedAsync(connection, slot, ct) > burst.Mark)
            {
                return Stopwatch.GetElapsedTime(burst.CommitStarted);
            }

            await Task.Delay(2, ct);
        }

        throw new TimeoutException($"Slot {slot} did not confirm past {burst.Mark:X} within {timeout}.");
    }

    private static async Task WaitAsync(NpgsqlConnection connection, string sql, string arg, TimeSpan timeout, Func<string> log, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            cmd.Parameters.Add(new() { Value = arg });
            if ((long)(await cmd.ExecuteScalarAsync(ct))! > 0)
            {
                return;
            }

            await Task.Delay(50, ct);
        }

        throw new TimeoutException($"'{sql}' ({arg}) did not hold within {timeout}.\n--- sink output ---\n{log()}");
    }

    private static async Task<TimeSpan> RecvLogicalAsync(PostgresCluster cluster, string db, string slot, string publication, ulong mark, CancellationToken ct)
    {
        var start = new ProcessStartInfo("pg_recvlogical") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "-h", "127.0.0.1", "-p", Str(cluster.Port), "-U", PostgresCluster.SuperUser, "-d", db, "--slot", slot, "--start",
            "-o", "proto_version=1", "-o", $"publication_names={publication}", $"--endpos={new NpgsqlLogSequenceNumber(mark)}",
            "-f", "/dev/null", "--no-loop",
        })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PGPASSWORD"] = cluster.Password;
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(5), ct);
        return process.ExitCode == 0
            ? Stopwatch.GetElapsedTime(started)
            : throw new InvalidOperationException($"pg_recvlogical exited {process.ExitCode}: {await stderr}");
    }

    private static async Task<long> PeerRequestsAsync(int? port, CancellationToken ct)
    {
        if (port is null)
        {
            return -1;
        }

        using var http = new HttpClient();
        var json = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/_peer/stats"), ct);
        return System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("requests").GetInt64();
    }

    /// <summary>utime + stime of a process, in seconds (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static Process Start(string dll, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {dll} did not start");
        if (environment.Count == 0)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    /// <summary>Reads the sink's output as it comes (a full pipe would stall it), keeping the last lines and a count.</summary>
    private static Func<string> Drain(Process process)
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var count = 0L;
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            Interlocked.Increment(ref count);
            lines.Enqueue(e.Data);
            while (lines.Count > 60 && lines.TryDequeue(out var _))
            {
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return () => $"({Interlocked.Read(ref count)} lines)\n" + string.Join('\n', lines);
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", Str(process.Id)]);
            term.WaitForExit();
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
