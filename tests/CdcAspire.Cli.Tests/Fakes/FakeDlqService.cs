using System.Collections.Concurrent;
using CdcAspire.Dlq.V1;
using CdcAspire.ServiceDefaults.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace CdcAspire.Cli.Tests.Fakes;

/// <summary>
/// DlqService from dlq.proto with canned dead letters, pages of two, and recorded requests; the changing methods
/// carry the real token policy. The real service's behaviour is tested in its own project.
/// </summary>
internal sealed class FakeDlqService : DlqService.DlqServiceBase
{
    public const int PageSize = 2;

    public List<DeadLetter> Letters { get; } =
    [
        Letter(3, "public.products", "products:3", "mapper_parsing_exception", "failed to parse field [price] of type [long]"),
        Letter(2, "public.products", "products:2", "mapper_parsing_exception", "failed to parse field [price] of type [long]"),
        Letter(1, "public.users", "users:1", "document_parsing_exception", "too large"),
    ];

    public ConcurrentQueue<object> Requests { get; } = new();

    /// <summary>Outcomes the next replay reports, one per selected dead letter.</summary>
    public List<Outcome> ReplayOutcomes { get; } = [Outcome.Indexed, Outcome.Deleted, Outcome.Superseded];

    public override Task<ListResponse> List(ListRequest request, ServerCallContext context)
    {
        Requests.Enqueue(request);
        var matching = Letters.Where(l => Matches(request.Filter, l)).ToList();
        var start = request.PageToken.Length == 0 ? 0 : int.Parse(request.PageToken, System.Globalization.CultureInfo.InvariantCulture);
        var page = matching.Skip(start).Take(Math.Min(PageSize, request.PageSize)).ToList();
        var response = new ListResponse { Total = matching.Count };
        response.DeadLetters.Add(page.Select(l => { var c = l.Clone(); c.Document = string.Empty; return c; }));
        var next = start + page.Count;
        response.NextPageToken = next < matching.Count ? next.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        return Task.FromResult(response);
    }

    public override Task<StatsResponse> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        Requests.Enqueue(request);
        var stats = new StatsResponse
        {
            OldestPendingAge = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
            Breaker = new Breaker { State = "open", Reason = "Elasticsearch unreachable", RetryAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(20000)) },
        };
        stats.ByState.Add(new Dictionary<string, long> { ["pending"] = 3, ["resolved"] = 7, ["discarded"] = 1, ["archived"] = 0 });
        stats.ByTable.Add(new Dictionary<string, long> { ["public.products"] = 2, ["public.users"] = 1 });
        stats.ByErrorType.Add(new Dictionary<string, long> { ["mapper_parsing_exception"] = 2, ["document_parsing_exception"] = 1 });
        stats.Groups.Add(new Group { Table = "public.products", ErrorType = "mapper_parsing_exception", Count = 2, SampleReason = "failed to parse" });
        return Task.FromResult(stats);
    }

    public override Task<DeadLetter> Get(GetRequest request, ServerCallContext context)
    {
        Requests.Enqueue(request);
        return Letters.FirstOrDefault(l => l.Id == request.Id) is { } letter
            ? Task.FromResult(letter)
            : throw new RpcException(new Status(StatusCode.NotFound, $"No dead letter with id {request.Id}; 'cdc dlq list' shows the ids."));
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override async Task Replay(ReplayRequest request, IServerStreamWriter<ReplayProgress> responseStream, ServerCallContext context)
    {
        Requests.Enqueue(request);
        var selected = Letters.Where(l => Matches(request.Filter, l)).ToList();
        var summary = new ReplaySummary();
        for (var i = 0; i < selected.Count; i++)
        {
            var outcome = ReplayOutcomes[i % ReplayOutcomes.Count];
            var result = new ReplayResult { Id = selected[i].Id, Outcome = outcome, Done = i + 1, Total = selected.Count };
            switch (outcome)
            {
                case Outcome.Indexed: summary.Indexed++; break;
                case Outcome.Deleted: summary.Deleted++; break;
                case Outcome.Superseded: summary.Superseded++; break;
                case Outcome.Failed:
                    summary.Failed++;
                    result.ErrorType = "mapper_parsing_exception";
                    result.ErrorReason = "still wrong";
                    break;
                default: summary.Skipped++; break;
            }

            await responseStream.WriteAsync(new ReplayProgress { Result = result }, context.CancellationToken);
        }

        await responseStream.WriteAsync(new ReplayProgress { Summary = summary }, context.CancellationToken);
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override Task<DiscardResponse> Discard(DiscardRequest request, ServerCallContext context)
    {
        Requests.Enqueue(request);
        return Task.FromResult(new DiscardResponse { Discarded = Letters.Count(l => Matches(request.Filter, l)) });
    }

    private static bool Matches(Filter? filter, DeadLetter letter) =>
        filter is null
        || ((filter.Ids.Count == 0 || filter.Ids.Contains(letter.Id))
            && (filter.Table.Length == 0 || filter.Table == letter.Table)
            && (filter.ErrorType.Length == 0 || filter.ErrorType == letter.ErrorType)
            && (filter.ReasonContains.Length == 0 || letter.ErrorReason.Contains(filter.ReasonContains, StringComparison.OrdinalIgnoreCase)));

    private static DeadLetter Letter(long id, string table, string documentId, string errorType, string reason)
    {
        var letter = new DeadLetter
        {
            Id = id,
            CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(20000).AddMinutes(id)),
            Source = "pgoutput",
            Table = table,
            Index = table.Split('.')[1],
            DocumentId = documentId,
            Operation = "index",
            Position = "0/16B3748",
            Version = 100 + id,
            ErrorType = errorType,
            ErrorReason = reason,
            State = State.Pending,
            Attempts = 1,
            Document = "{\"price\":\"abc\"}",
        };
        letter.History.Add(new HistoryEntry { At = letter.CreatedAt, Action = "retry", Outcome = Outcome.Failed, Detail = reason });
        return letter;
    }
}
