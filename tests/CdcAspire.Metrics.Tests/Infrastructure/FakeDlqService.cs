using CdcAspire.Dlq.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CdcAspire.Metrics.Tests.Infrastructure;

/// <summary>The DLQ service as the metrics service sees it (GetStats, from dlq.proto), with a pending count the test sets.</summary>
public sealed class FakeDlqService : DlqService.DlqServiceBase
{
    public long Pending { get; set; }

    public TimeSpan OldestAge { get; set; }

    public int Calls { get; private set; }

    public override Task<StatsResponse> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        Calls++;
        var stats = new StatsResponse
        {
            OldestPendingAge = Duration.FromTimeSpan(Pending > 0 ? OldestAge : TimeSpan.Zero),
            Breaker = new Breaker { State = "closed" },
            ObservedAt = Timestamp.FromDateTime(DateTime.UtcNow),
        };
        stats.ByState["pending"] = Pending;
        stats.ByState["resolved"] = 7;
        if (Pending > 0)
        {
            stats.Groups.Add(new Group { Table = "public.products", ErrorType = "mapper_parsing_exception", Count = Pending, SampleReason = "failed to parse field [price]" });
        }

        return Task.FromResult(stats);
    }
}
