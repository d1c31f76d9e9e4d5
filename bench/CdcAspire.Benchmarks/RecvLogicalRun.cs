using System.Diagnostics;
using CdcAspire.Testing.Postgres;
using NpgsqlTypes;

namespace CdcAspire.Benchmarks;

/// <summary>
/// The reference reader: PostgreSQL's own pg_recvlogical with pgoutput, from a slot created before the burst, to
/// /dev/null, stopping at the burst's mark (it exits on the first message past it: the burst's commit).
/// </summary>
internal static class RecvLogicalRun
{
    public static async Task<TimeSpan> RunAsync(BenchDatabase db, string slot, Burst burst, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo("pg_recvlogical")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "-h", "127.0.0.1", "-p", db.Cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", PostgresCluster.SuperUser,
            "-d", db.Name, "--slot", slot, "--start", "-o", "proto_version=1", "-o", $"publication_names={BenchDatabase.Publication}",
            $"--endpos={new NpgsqlLogSequenceNumber(burst.Mark)}", "-f", "/dev/null", "--no-loop",
        })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PGPASSWORD"] = db.Cluster.Password;
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_recvlogical did not start (apt-get install -y postgresql-client).");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = process.StandardOutput.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"pg_recvlogical did not reach {burst.Mark:X} within {timeout}.");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_recvlogical exited {process.ExitCode}: {await stderr}");
        }

        return elapsed;
    }
}
