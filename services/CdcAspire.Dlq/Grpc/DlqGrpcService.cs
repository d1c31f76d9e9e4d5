using System.Globalization;
using CdcAspire.Dlq.Breaker;
using CdcAspire.Dlq.Notifications;
using CdcAspire.Dlq.Replay;
using CdcAspire.Dlq.Store;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = CdcAspire.Dlq.V1;

namespace CdcAspire.Dlq.Grpc;

/// <summary>
/// <c>cdcaspire.dlq.v1.DlqService</c>: list, stats and get for anyone who reaches the port; replay and discard need
/// the API token (<see cref="ApiToken.ChangePolicy"/>). Errors say what to do next.
/// </summary>
internal sealed class DlqGrpcService(
    DeadLetterReader reader,
    DeadLetterUpdater updater,
    Replayer replayer,
    ElasticsearchBreaker breaker,
    DeadLetterSignal signal) : V1.DlqService.DlqServiceBase
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    public override async Task<V1.ListResponse> List(V1.ListRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize switch
        {
            <= 0 => DefaultPageSize,
            > MaxPageSize => MaxPageSize,
            var n => n,
        };
        long? before = null;
        if (!string.IsNullOrEmpty(request.PageToken))
        {
            if (!long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var token))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"page_token '{request.PageToken}' is not one this service gave out: pass a previous ListResponse.next_page_token, or none for the first page."));
            }

            before = token;
        }

        var (page, total) = await reader.ListAsync(ProtoMapper.ToFilter(request.Filter), pageSize, before, context.CancellationToken);
        var response = new V1.ListResponse { Total = total };
        response.DeadLetters.AddRange(page.Select(r => ProtoMapper.ToProto(r, detail: false)));
        if (page.Count == pageSize)
        {
            response.NextPageToken = page[^1].Id.ToString(CultureInfo.InvariantCulture);
        }

        return response;
    }

    public override async Task<V1.StatsResponse> GetStats(V1.GetStatsRequest request, ServerCallContext context) =>
        ProtoMapper.ToProto(await reader.StatsAsync(context.CancellationToken), breaker.Snapshot);

    public override async Task<V1.DeadLetter> Get(V1.GetRequest request, ServerCallContext context)
    {
        var letter = await reader.GetAsync(request.Id, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound,
                $"There is no dead letter {request.Id}. List them with `cdc dlq list` (List) to see the ids that exist."));
        return ProtoMapper.ToProto(letter, detail: true);
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override async Task Replay(V1.ReplayRequest request, IServerStreamWriter<V1.ReplayProgress> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var filter = await SelectionAsync(request.Filter, "Replay", ct);
        var ids = await reader.SelectIdsAsync(filter, ct);
        var summary = new V1.ReplaySummary();
        long done = 0;
        await foreach (var item in replayer.ReplayAsync(ids, filter.States, "replay", ct))
        {
            done++;
            switch (item.Outcome)
            {
                case ReplayOutcome.Indexed: summary.Indexed++; break;
                case ReplayOutcome.Deleted: summary.Deleted++; break;
                case ReplayOutcome.Superseded: summary.Superseded++; break;
                case ReplayOutcome.Skipped: summary.Skipped++; break;
                default: summary.Failed++; break;
            }

            summary.Archived += item.Archived ? 1 : 0;
            await responseStream.WriteAsync(new V1.ReplayProgress
            {
                Result = new V1.ReplayResult
                {
                    Id = item.Id,
                    Outcome = ProtoMapper.ToProto(item.Outcome),
                    ErrorType = item.ErrorType ?? string.Empty,
                    ErrorReason = item.ErrorReason ?? string.Empty,
                    Done = done,
                    Total = ids.Count,
                },
            }, ct);
        }

        signal.Raise();
        await responseStream.WriteAsync(new V1.ReplayProgress { Summary = summary }, ct);
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override async Task<V1.DiscardResponse> Discard(V1.DiscardRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                "Discard needs a reason (DiscardRequest.reason, `cdc dlq discard ... --reason TEXT`); it is kept in each dead letter's history."));
        }

        var filter = await SelectionAsync(request.Filter, "Discard", context.CancellationToken);
        var discarded = await updater.DiscardAsync(filter, request.Reason, context.CancellationToken);
        signal.Raise();
        return new V1.DiscardResponse { Discarded = discarded };
    }

    /// <summary>A changing call's selection: never everything by accident; one missing id is named.</summary>
    private async Task<DeadLetterFilter> SelectionAsync(V1.Filter? proto, string method, CancellationToken cancellationToken)
    {
        var filter = ProtoMapper.ToFilter(proto).WithDefaultStates(DeadLetterState.Pending);
        if (filter.IsEmpty && !filter.All)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"{method} needs a filter (ids, table, index, error_type, reason_contains, older_than) or filter.all = true, " +
                "so nothing is changed by accident; e.g. `cdc dlq replay --table public.products` or `--all`."));
        }

        if (filter.Ids.Count == 1 && await reader.GetAsync(filter.Ids[0], cancellationToken) is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound,
                $"There is no dead letter {filter.Ids[0]}. List them with `cdc dlq list` (List) to see the ids that exist."));
        }

        return filter;
    }
}
