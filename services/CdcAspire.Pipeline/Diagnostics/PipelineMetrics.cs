using System.Diagnostics;
using System.Diagnostics.Metrics;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Status;

namespace CdcAspire.Pipeline.Diagnostics;

/// <summary>
/// The pipeline's instruments (meter <c>CdcAspire.Pipeline</c>). Names parallel Debezium's and Sequin's where they
/// mean the same: events seen, errors, delivery latency, slot lag. Instruments only: the pipeline reports through
/// <see cref="PipelineObserver"/>, which also keeps the per-table figures of the status.
/// </summary>
public sealed class PipelineMetrics
{
    public const string MeterName = "CdcAspire.Pipeline";

    private readonly Counter<long> _received;
    private readonly Counter<long> _indexed;
    private readonly Counter<long> _deleted;
    private readonly Counter<long> _superseded;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _retries;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _bulkDuration;
    private readonly Histogram<double> _commitToAck;

    public PipelineMetrics(IMeterFactory meterFactory, PipelineStatus status)
    {
        // The status is only read here, for the two lag gauges; the per-table figures are PipelineObserver's.
        var meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("cdc.events.received", "{event}", "Changes read from the source.");
        _indexed = meter.CreateCounter<long>("cdc.documents.indexed", "{document}", "Documents written to Elasticsearch.");
        _deleted = meter.CreateCounter<long>("cdc.documents.deleted", "{document}", "Documents deleted from Elasticsearch.");
        _superseded = meter.CreateCounter<long>("cdc.documents.superseded", "{document}", "Writes refused because a newer version was already stored (409).");
        _deadLettered = meter.CreateCounter<long>("cdc.documents.dead_lettered", "{document}", "Changes written to the dead-letter store.");
        _retries = meter.CreateCounter<long>("cdc.bulk.retries", "{request}", "Bulk requests or items sent again after 429/5xx/timeouts.");
        _batchSize = meter.CreateHistogram<int>("cdc.bulk.size", "{action}", "Actions per _bulk request.");
        _bulkDuration = meter.CreateHistogram<double>("cdc.bulk.duration", "s", "Duration of one _bulk request.");
        _commitToAck = meter.CreateHistogram<double>("cdc.commit_to_ack.duration", "s", "From the source commit to the acknowledgement of its position.");
        meter.CreateObservableGauge("cdc.slot.lag", () => status.LagBytes, "By", "WAL bytes the slot's confirmed position is behind the server.");
        meter.CreateObservableGauge("cdc.lag.duration", () => status.LagSeconds, "s", "Age of the oldest committed change not yet acknowledged.");
    }

    private static readonly string[] KindNames = Enum.GetValues<ChangeKind>().Select(k => k.ToString().ToLowerInvariant()).ToArray();

    public void Received(string table, ChangeKind kind)
    {
        if (_received.Enabled)
        {
            _received.Add(1, new KeyValuePair<string, object?>("cdc.table", table), new KeyValuePair<string, object?>("cdc.operation", KindNames[(int)kind]));
        }
    }

    public void Indexed(string table, int count) => _indexed.Add(count, new KeyValuePair<string, object?>("cdc.table", table));

    public void Deleted(string table, int count) => _deleted.Add(count, new KeyValuePair<string, object?>("cdc.table", table));

    public void Superseded(string table, int count) => _superseded.Add(count, new KeyValuePair<string, object?>("cdc.table", table));

    public void DeadLettered(string? table, int count) => _deadLettered.Add(count, new KeyValuePair<string, object?>("cdc.table", table ?? "unknown"));

    public void Retried(int count) => _retries.Add(count);

    public void BulkCompleted(int size, TimeSpan duration)
    {
        _batchSize.Record(size);
        _bulkDuration.Record(duration.TotalSeconds);
    }

    public void Acknowledged(TimeSpan commitToAck) => _commitToAck.Record(commitToAck.TotalSeconds);
}
