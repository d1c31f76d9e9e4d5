using System.Diagnostics.Metrics;
using CdcAspire.Dlq.Breaker;
using CdcAspire.Dlq.Replay;
using CdcAspire.Dlq.Store;

namespace CdcAspire.Dlq.Diagnostics;

/// <summary>
/// The service's instruments (meter <c>CdcAspire.Dlq</c>): <c>cdc.dlq.depth</c> (pending dead letters by table and
/// error type), <c>cdc.dlq.oldest_age</c> (seconds since the oldest pending one), <c>cdc.dlq.replays</c> (by outcome
/// and trigger), <c>cdc.dlq.breaker.state</c> (0 closed, 1 half-open, 2 open). The gauges read a snapshot the
/// <see cref="Retry.StatsRefresher"/> keeps current, so a scrape never queries the database.
/// </summary>
public sealed class DlqMetrics
{
    public const string MeterName = "CdcAspire.Dlq";

    private readonly Counter<long> _replays;
    private readonly TimeProvider _time;
    private DeadLetterStats _stats = DeadLetterStats.Empty;

    public DlqMetrics(IMeterFactory meterFactory, ElasticsearchBreaker breaker, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _replays = meter.CreateCounter<long>("cdc.dlq.replays", "{dead_letter}", "Dead letters replayed, by outcome and trigger (replay, retry).");
        meter.CreateObservableGauge("cdc.dlq.depth", ObserveDepth, "{dead_letter}", "Pending dead letters by table and error type.");
        meter.CreateObservableGauge("cdc.dlq.oldest_age", ObserveOldest, "s", "Age of the oldest pending dead letter (0 when none).");
        meter.CreateObservableGauge("cdc.dlq.breaker.state", () => (int)breaker.Snapshot.State, "{state}",
            "The replay circuit breaker around Elasticsearch: 0 closed, 1 half-open, 2 open.");
    }

    public void Replayed(ReplayOutcome outcome, string trigger) =>
        _replays.Add(1, new("outcome", outcome.ToString().ToLowerInvariant()), new("trigger", trigger));

    public void Update(DeadLetterStats stats) => Volatile.Write(ref _stats, stats);

    private IEnumerable<Measurement<long>> ObserveDepth() =>
        Volatile.Read(ref _stats).Groups.Select(g => new Measurement<long>(g.Count, new("table", g.Table), new("error_type", g.ErrorType)));

    private double ObserveOldest() =>
        Volatile.Read(ref _stats).OldestPending is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalSeconds) : 0;
}
