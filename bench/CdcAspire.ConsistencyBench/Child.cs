using System.Diagnostics;
using System.Globalization;
using CdcAspire.Consistency.Checking;
using CdcAspire.Consistency.Documents;
using CdcAspire.Consistency.Extensions;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Changes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CdcAspire.ConsistencyBench;

/// <summary>
/// One measured part in its own process: <c>check</c> (the service's full check, built by its own registration, in a fresh process), <c>warm</c> (the same check run a third time in the process, as a long-running service does),
/// <c>pg</c> (the same rows read with plain Npgsql: keyset pages, one snapshot, every value as text, nothing else) or
/// <c>es</c> (the same documents read from the server alone through point in time + search_after).
/// Prints one line: <c>RESULT part rows seconds vmhwm_kib cpu_seconds extra</c> (CPU: the whole process, start-up included).
/// </summary>
internal static class Child
{
    public static async Task<int> RunAsync(string part, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddEnvironmentVariables();
        builder.Services.AddMetrics();
        builder.AddConsistency();
        using var host = builder.Build();
        var services = host.Services;
        var clock = Stopwatch.StartNew();
        var cpuAtStart = TimeSpan.Zero;
        var gcAtStart = GcSnapshot.Now();
        long rows = 0;
        var extra = string.Empty;
        switch (part)
        {
            case "check" or "warm":
                var runner = services.GetRequiredService<CheckRunner>();
                if (part == "warm")
                {
                    // The service runs for days: a check after the first ones finds its code compiled (tiered, with
                    // profile-guided optimisation) and its pools warm. Two checks first, then the measured one.
                    for (var i = 0; i < 2; i++)
                    {
                        await runner.CheckAsync(TableId.Parse(BenchEnvironment.Table), Mode.Full, 0, 10, repair: false, _ => { }, cancellationToken);
                    }

                    clock.Restart();
                    cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
                    gcAtStart = GcSnapshot.Now();
                }

                var result = await runner.CheckAsync(TableId.Parse(BenchEnvironment.Table), Mode.Full, 0, 10, repair: false, _ => { }, cancellationToken);
                rows = result.RowsChecked;
                extra = $"missing={result.Missing},extra={result.Extra},mismatched={result.Mismatched},documents={result.DocumentsChecked}{(result.Error.Length > 0 ? ",error=" + result.Error.Replace(' ', '_') : "")}";
                break;
            case "pg":
                rows = await ReadRowsAsync(builder.Configuration.GetConnectionString("appdb")!, cancellationToken);
                break;
            case "rows":
                var checker = services.GetRequiredService<TableChecker>();
                var rowReader = services.GetRequiredService<CdcAspire.Consistency.Rows.RowReader>();
                var checkedTable = await checker.DescribeAsync(TableId.Parse(BenchEnvironment.Table), cancellationToken);
                await foreach (var page in rowReader.ReadPagesAsync(checkedTable, 2000, cancellationToken))
                {
                    rows += page.Items.Count;
                    page.Dispose();
                }

                break;
            case "es":
                var reader = services.GetRequiredService<DocumentReader>();
                await foreach (var page in reader.ReadPagesAsync(BenchEnvironment.Index, ["id"], 2000, TimeSpan.FromMinutes(2), cancellationToken))
                {
                    rows += page.Documents.Count;
                    page.Dispose();
                }

                break;
            default:
                await Console.Error.WriteLineAsync($"Unknown part '{part}': use check, warm, rows, pg or es.");
                return 2;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        extra = (extra.Length > 0 ? extra + "," : "") + GcSnapshot.Now().Since(gcAtStart);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {part} {rows} {seconds:0.000} {PeakRssKib()} {cpu:0.00} {extra}"));
        return 0;
    }

    private static async Task<long> ReadRowsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long rows = 0;
        long? after = null;
        while (true)
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT id, name, price, tags, meta, created_at, active FROM bench_items" + (after is null ? "" : " WHERE id > $1") + " ORDER BY id LIMIT 2000",
                connection, transaction) { AllResultTypesAreUnknown = true };
            if (after is { } a)
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = a });
            }

            var count = 0;
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        _ = reader.IsDBNull(i) ? null : reader.GetString(i);
                    }

                    after = long.Parse(reader.GetString(0), CultureInfo.InvariantCulture);
                    count++;
                }
            }

            rows += count;
            if (count < 2000)
            {
                return rows;
            }
        }
    }

    /// <summary>Collections by generation and total pause time: where a fresh process's time goes besides compiling.</summary>
    private readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Allocated)
    {
        public static GcSnapshot Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

        public string Since(GcSnapshot start) => string.Create(CultureInfo.InvariantCulture,
            $"gc={Gen0 - start.Gen0}/{Gen1 - start.Gen1}/{Gen2 - start.Gen2},gc_pause_ms={(Paused - start.Paused).TotalMilliseconds:0},allocated_mib={(Allocated - start.Allocated) / (1024 * 1024)}");
    }

    /// <summary>VmHWM (peak resident set, KiB) from /proc/self/status.</summary>
    public static long PeakRssKib()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
