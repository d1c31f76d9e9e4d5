using System.Globalization;

namespace CdcAspire.Benchmarks;

/// <summary>Turns the samples into the results table.</summary>
internal static class Report
{
    public static List<ResultRow> Rows(Results r, BenchOptions o)
    {
        var rows = new List<ResultRow>();
        if (r.Samples("recv").Count > 0)
        {
            var reference = Rate(r.Median("recv"));
            rows.Add(Throughput(r, "e2e.live", $"End-to-end, live: {o.Events:N0} rows in 1 tx, commit → slot confirmed (in-process pipeline + ES test server)", reference, "report"));
            rows.Add(Throughput(r, "e2e.catchup", "End-to-end, catch-up: same changes read later from its own slot (like pg_recvlogical)", reference, "report"));
            rows.Add(new ResultRow("pg_recvlogical (pgoutput v1, --endpos, -f /dev/null) — the reference", reference, "", "1.00", "", r.Spread("recv")));
            rows.Add(Throughput(r, "decode", "Decode only: PostgresChangeSource.ReadAsync → ChangeEvents until the burst's checkpoint", reference, "≥ 0.80"));
            rows.Add(Throughput(r, "npgsql.raw", "  breakdown: Npgsql pgoutput, messages only (values not read)", reference, ""));
            rows.Add(Throughput(r, "npgsql.strings", "  breakdown: Npgsql pgoutput + every value as string", reference, ""));
            rows.Add(Throughput(r, "write", "  breakdown: write only (decoded changes from memory → mapper → bulk → ES test server → ack)", reference, ""));
        }

        foreach (var (peer, label) in new[] { ("ack", "a bulk peer process that acknowledges at once"), ("es", "the Elasticsearch test server process") })
        {
            if (r.Samples($"dep.{peer}.rate").Count == 0)
            {
                continue;
            }

            var requests = r.Samples($"dep.{peer}.requests").Count > 0 ? string.Create(CultureInfo.InvariantCulture, $", {r.Median($"dep.{peer}.requests"):N0} _bulk requests") : "";
            rows.Add(new ResultRow(
                $"Deployed shape: sink process (Release, default logging) → HTTP → {label}; {o.DeployedRows:N0} seed `products` rows in 1 INSERT, commit → slot confirmed (running sink: after 2 unmeasured bursts of the same size)",
                Rate(r.Median($"dep.{peer}.rate")), $"pg_recvlogical {Rate(r.Median($"dep.{peer}.recv"))} (same changes, same round)",
                Ratio(r.Median($"dep.{peer}.ratio")), peer == "ack" ? "≥ 0.50" : "", r.Spread($"dep.{peer}.ratio")));
            rows.Add(new ResultRow($"  sink CPU seconds per 100,000 rows ({peer}){requests}",
                string.Create(CultureInfo.InvariantCulture, $"{r.Median($"dep.{peer}.cpu"):0.00} s"), "", "", "", r.Spread($"dep.{peer}.cpu")));
            rows.Add(new ResultRow($"  first burst after the sink started ({peer}; JIT still tiering up), CPU {r.Median($"dep.{peer}.coldcpu").ToString("0.00", CultureInfo.InvariantCulture)} s per 100,000 rows",
                Rate(r.Median($"dep.{peer}.cold")), "the same round's pg_recvlogical", Ratio(r.Median($"dep.{peer}.coldratio")), "", r.Spread($"dep.{peer}.coldratio")));
        }

        if (r.Samples("lat.p99").Count > 0)
        {
            var target = string.Create(CultureInfo.InvariantCulture, $"{o.LatencyRate:N0} ev/s target, {r.Median("lat.rate"):N0} achieved");
            rows.Add(new ResultRow($"Latency commit → ack p50 ({o.LatencyDuration.TotalSeconds:0} s, 1 tx of {o.LatencyRate / 100} rows every 10 ms)",
                Ms(r.Median("lat.p50")), target, "", "", r.Spread("lat.p50")));
            rows.Add(new ResultRow("Latency commit → ack p99", Ms(r.Median("lat.p99")), target, "", "< 50 ms", r.Spread("lat.p99")));
            rows.Add(new ResultRow("Latency commit → ack max", Ms(r.Median("lat.max")), target, "", "", r.Spread("lat.max")));
            rows.Add(new ResultRow("  context: acks over 50 ms per run / GC pause ms in the bench process / load average (1 min)",
                $"{r.Spread("lat.over50")} / {r.Spread("lat.gcpause")} / {r.Spread("lat.load")}", "", "", "", ""));
        }

        foreach (var (peer, label) in new[] { ("ack", "acknowledging bulk peer"), ("es", "Elasticsearch test server process") })
        {
            if (r.Samples($"deplat.{peer}.p99").Count == 0)
            {
                continue;
            }

            var target = string.Create(CultureInfo.InvariantCulture, $"{o.LatencyRate:N0} ev/s target, {r.Median($"deplat.{peer}.rate"):N0} achieved");
            rows.Add(new ResultRow(
                $"Deployed-shape latency, sink process → {label}: commit → slot confirmed p50 ({o.LatencyDuration.TotalSeconds:0} s, 1 tx of {o.LatencyRate / 100} seed rows every 10 ms, polled from outside)",
                Ms(r.Median($"deplat.{peer}.p50")), target, "", "", r.Spread($"deplat.{peer}.p50")));
            rows.Add(new ResultRow($"  p99 ({peer})", Ms(r.Median($"deplat.{peer}.p99")), target, "", "< 50 ms", r.Spread($"deplat.{peer}.p99")));
            rows.Add(new ResultRow($"  max ({peer}); context: transactions over 50 ms per run / load average (1 min)", Ms(r.Median($"deplat.{peer}.max")),
                $"{r.Spread($"deplat.{peer}.over50")} / {r.Spread($"deplat.{peer}.load")}", "", "", r.Spread($"deplat.{peer}.max")));
        }

        var sizes = o.MemoryBursts;
        if (r.Samples($"mem.peak.{sizes[0]}").Count > 0)
        {
            var small = sizes[0];
            foreach (var size in sizes)
            {
                rows.Add(new ResultRow($"Sink process peak RSS (VmHWM), {size:N0}-row burst in 1 tx",
                    MiB(r.Median($"mem.peak.{size}")), $"idle after start {MiB(r.Median($"mem.idle.{size}"))}",
                    size == small ? "1.00" : Ratio(r.RatioMedian($"mem.peak.{size}", $"mem.peak.{small}")),
                    size == small ? "" : $"≈ 1 (bounded: independent of burst size)", r.Spread($"mem.peak.{size}")));
            }

            foreach (var size in sizes)
            {
                rows.Add(new ResultRow($"Sink process catch-up, {size:N0}-row burst (commit → confirmed)", Rate(r.Median($"mem.rate.{size}")),
                    "", "", "", r.Spread($"mem.rate.{size}")));
            }
        }

        return rows;
    }

    private static ResultRow Throughput(Results r, string key, string metric, string reference, string goal) =>
        new(metric, Rate(r.Median(key)), reference, Ratio(r.RatioMedian(key, "recv")), goal, r.Spread(key));

    private static string Rate(double v) => double.IsNaN(v) ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{v:N0} ev/s");

    private static string Ratio(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Ms(double v) => double.IsNaN(v) ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{v:0.0} ms");

    private static string MiB(double v) => double.IsNaN(v) ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{v:0} MiB");
}
