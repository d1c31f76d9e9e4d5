using CdcAspire.Metrics.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Status = CdcAspire.Metrics.V1.Status;

namespace CdcAspire.Cli.Tests.Fakes;

/// <summary>MetricsService from metrics.proto with a report the test sets; Watch sends a fixed number of reports.</summary>
internal sealed class FakeMetricsService : MetricsService.MetricsServiceBase
{
    public HealthReport Report { get; set; } = Healthy();

    public int WatchReports { get; set; } = 2;

    public override Task<HealthReport> GetHealth(GetHealthRequest request, ServerCallContext context) => Task.FromResult(Report);

    public override async Task Watch(WatchRequest request, IServerStreamWriter<HealthReport> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < WatchReports; i++)
        {
            var report = Report.Clone();
            report.Metrics.Slots[0].LagBytes = 1000 * (i + 1);
            await responseStream.WriteAsync(report, context.CancellationToken);
        }
    }

    public static HealthReport Healthy()
    {
        var report = new HealthReport
        {
            Status = Status.Ok,
            ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(20000)),
            Metrics = new ChainMetrics
            {
                Elasticsearch = new ElasticsearchMetrics { Up = true, ClusterHealth = "green" },
                DlqPending = 4,
                DlqOldestAgeSeconds = 60,
            },
        };
        report.Components.Add(new Component { Name = "postgres", Status = Status.Ok });
        report.Components.Add(new Component { Name = "slot:cdcaspire", Status = Status.Ok });
        report.Components.Add(new Component { Name = "dlq", Status = Status.NotConfigured, Reason = "No DLQ service address." });
        report.Metrics.Slots.Add(new SlotMetrics { Slot = "cdcaspire", Active = true, ConfirmedFlushLsn = "0/16B3748", LagBytes = 2048, WalStatus = "reserved" });
        report.Metrics.Sinks.Add(new SinkMetrics { Address = "http://127.0.0.1:5081", Up = true, Phase = "streaming", EventsPerSecond = 1234.5 });
        report.Metrics.Elasticsearch.DocCounts.Add("orders", 1000);
        return report;
    }
}
