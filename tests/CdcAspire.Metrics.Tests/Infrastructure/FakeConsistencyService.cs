using CdcAspire.Consistency.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CdcAspire.Metrics.Tests.Infrastructure;

/// <summary>The consistency service as the metrics service sees it (ListResults, from consistency.proto): kept results the test sets.</summary>
public sealed class FakeConsistencyService : ConsistencyService.ConsistencyServiceBase
{
    private readonly Lock _gate = new();
    private List<TableResult> _results = [];

    /// <summary>Replaces the kept results with one check per table (newest first is the service's order).</summary>
    public void SetLastChecks(params (string Table, long Missing, long Extra, long Mismatched)[] checks)
    {
        var now = DateTime.UtcNow;
        var results = checks.Select(c => new TableResult
        {
            Id = Guid.NewGuid().ToString("N"),
            Table = c.Table,
            Index = c.Table.Split('.')[^1],
            Mode = Mode.Full,
            StartedAt = Timestamp.FromDateTime(now.AddSeconds(-2)),
            Duration = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            Missing = c.Missing,
            Extra = c.Extra,
            Mismatched = c.Mismatched,
        }).ToList();
        lock (_gate)
        {
            _results = results;
        }
    }

    public override Task<ListResultsResponse> ListResults(ListResultsRequest request, ServerCallContext context)
    {
        var response = new ListResultsResponse();
        lock (_gate)
        {
            response.Results.Add(_results.Where(r => request.Table.Length == 0 || r.Table == request.Table));
        }

        return Task.FromResult(response);
    }
}
