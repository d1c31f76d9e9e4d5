using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CdcAspire.Consistency.V1;

namespace CdcAspire.Consistency.Diagnostics;

/// <summary>
/// The consistency service's instruments (meter <c>CdcAspire.Consistency</c>):
/// <c>cdc.consistency.differences</c> (gauge, by table and kind, from the last check: what the alert rule watches),
/// <c>cdc.consistency.last_check_time</c> (gauge, Unix seconds), <c>cdc.consistency.check.duration</c> (histogram, s),
/// <c>cdc.consistency.rows_checked</c> (counter: its rate is rows checked per second),
/// <c>cdc.consistency.rows_per_second</c> (gauge, the last full check's speed) and <c>cdc.consistency.repairs</c>
/// (counter, by table and outcome).
/// </summary>
public sealed class ConsistencyMetrics
{
    public const string MeterName = "CdcAspire.Consistency";

    private readonly ConcurrentDictionary<string, LastCheck> _last = new(StringComparer.Ordinal);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _rowsChecked;
    private readonly Counter<long> _repairs;
    private readonly Histogram<double> _resyncDuration;

    public ConsistencyMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("cdc.consistency.differences", ObserveDifferences, "{difference}",
            "Differences found by the last check of each table, by kind (missing, extra, mismatched).");
        meter.CreateObservableGauge("cdc.consistency.last_check_time", () => _last.Select(kv =>
            new Measurement<double>(kv.Value.At.ToUnixTimeMilliseconds() / 1000.0, new KeyValuePair<string, object?>("table", kv.Key))), "s",
            "When each table's last check ended (Unix time).");
        meter.CreateObservableGauge("cdc.consistency.rows_per_second", () => _last.Where(kv => kv.Value.RowsPerSecond > 0).Select(kv =>
            new Measurement<double>(kv.Value.RowsPerSecond, new KeyValuePair<string, object?>("table", kv.Key))), "{row}/s",
            "Rows compared per second by each table's last full check.");
        _duration = meter.CreateHistogram<double>("cdc.consistency.check.duration", "s", "How long a table's check took.");
        _rowsChecked = meter.CreateCounter<long>("cdc.consistency.rows_checked", "{row}", "Rows compared with their documents.");
        _repairs = meter.CreateCounter<long>("cdc.consistency.repairs", "{document}", "Documents repaired, by outcome (indexed, deleted, superseded, failed).");
        _resyncDuration = meter.CreateHistogram<double>("cdc.consistency.resync.duration", "s",
            "How long each resync took, by table and outcome (done, failed); its count is the number of resyncs.");
    }

    public void Resynced(string table, string outcome, TimeSpan duration) =>
        _resyncDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("table", table), new KeyValuePair<string, object?>("outcome", outcome));

    public void Checked(TableResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var seconds = result.Duration.ToTimeSpan().TotalSeconds;
        var table = new KeyValuePair<string, object?>("table", result.Table);
        var mode = new KeyValuePair<string, object?>("mode", result.Mode.ToString());
        _duration.Record(seconds, table, mode);
        _rowsChecked.Add(result.RowsChecked, table);
        var rate = result.Mode == Mode.Full && seconds > 0 ? result.RowsChecked / seconds : _last.GetValueOrDefault(result.Table)?.RowsPerSecond ?? 0;
        _last[result.Table] = new LastCheck(DateTimeOffset.UtcNow, result.Missing, result.Extra, result.Mismatched, rate);
    }

    public void Repaired(string table, RepairCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Add(table, "indexed", counts.Indexed);
        Add(table, "deleted", counts.Deleted);
        Add(table, "superseded", counts.Superseded);
        Add(table, "failed", counts.Failed);
    }

    private void Add(string table, string outcome, long count)
    {
        if (count > 0)
        {
            _repairs.Add(count, new KeyValuePair<string, object?>("table", table), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private IEnumerable<Measurement<long>> ObserveDifferences()
    {
        foreach (var (table, last) in _last)
        {
            yield return Measure(table, "missing", last.Missing);
            yield return Measure(table, "extra", last.Extra);
            yield return Measure(table, "mismatched", last.Mismatched);
        }
    }

    private static Measurement<long> Measure(string table, string kind, long value) =>
        new(value, new KeyValuePair<string, object?>("table", table), new KeyValuePair<string, object?>("kind", kind));

    private sealed record LastCheck(DateTimeOffset At, long Missing, long Extra, long Mismatched, double RowsPerSecond);
}
