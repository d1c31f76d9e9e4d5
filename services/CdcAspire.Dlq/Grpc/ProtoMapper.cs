using CdcAspire.Dlq.Breaker;
using CdcAspire.Dlq.Replay;
using CdcAspire.Dlq.Store;
using CdcAspire.Pipeline.DeadLetters;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using V1 = CdcAspire.Dlq.V1;

namespace CdcAspire.Dlq.Grpc;

/// <summary>Between the store's records and dlq.proto's messages.</summary>
internal static class ProtoMapper
{
    public static DeadLetterFilter ToFilter(V1.Filter? filter) => filter is null ? new DeadLetterFilter() : new DeadLetterFilter
    {
        Ids = [.. filter.Ids],
        Table = filter.Table,
        Index = filter.Index,
        ErrorType = filter.ErrorType,
        ReasonContains = filter.ReasonContains,
        States = [.. filter.States.Where(s => s != V1.State.Unspecified).Select(ToState)],
        OlderThan = filter.OlderThan?.ToTimeSpan(),
        All = filter.All,
    };

    public static DeadLetterState ToState(V1.State state) => state switch
    {
        V1.State.Resolved => DeadLetterState.Resolved,
        V1.State.Discarded => DeadLetterState.Discarded,
        V1.State.Archived => DeadLetterState.Archived,
        _ => DeadLetterState.Pending,
    };

    public static V1.State ToProto(DeadLetterState state) => state switch
    {
        DeadLetterState.Resolved => V1.State.Resolved,
        DeadLetterState.Discarded => V1.State.Discarded,
        DeadLetterState.Archived => V1.State.Archived,
        _ => V1.State.Pending,
    };

    public static V1.Outcome ToProto(ReplayOutcome outcome) => outcome switch
    {
        ReplayOutcome.Indexed => V1.Outcome.Indexed,
        ReplayOutcome.Deleted => V1.Outcome.Deleted,
        ReplayOutcome.Superseded => V1.Outcome.Superseded,
        ReplayOutcome.Skipped => V1.Outcome.Skipped,
        _ => V1.Outcome.Failed,
    };

    public static V1.Outcome OutcomeFromName(string name) => name switch
    {
        "indexed" => V1.Outcome.Indexed,
        "deleted" => V1.Outcome.Deleted,
        "superseded" => V1.Outcome.Superseded,
        "failed" => V1.Outcome.Failed,
        "skipped" => V1.Outcome.Skipped,
        _ => V1.Outcome.Unspecified,
    };

    public static V1.DeadLetter ToProto(DeadLetterRecord r, bool detail)
    {
        var message = new V1.DeadLetter
        {
            Id = r.Id,
            CreatedAt = Timestamp.FromDateTimeOffset(r.CreatedAt),
            Source = r.Source,
            Table = r.Table ?? string.Empty,
            Index = r.Index ?? string.Empty,
            DocumentId = r.DocumentId ?? string.Empty,
            Operation = r.Operation,
            Position = r.Position,
            Version = r.Version ?? 0,
            ErrorType = r.ErrorType,
            ErrorReason = r.ErrorReason,
            State = ToProto(r.State),
            Attempts = r.Attempts,
        };
        if (r.NextRetryAt is { } next && r.State == DeadLetterState.Pending)
        {
            message.NextRetryAt = Timestamp.FromDateTimeOffset(next);
        }

        if (detail)
        {
            message.Document = r.Document ?? string.Empty;
            message.Raw = r.Raw is null ? ByteString.Empty : ByteString.CopyFrom(r.Raw);
            message.History.AddRange(r.History.Select(h => new V1.HistoryEntry
            {
                At = Timestamp.FromDateTimeOffset(h.At),
                Action = h.Action,
                Outcome = OutcomeFromName(h.Outcome),
                Detail = h.Detail,
            }));
        }

        return message;
    }

    public static V1.StatsResponse ToProto(DeadLetterStats stats, BreakerSnapshot breaker)
    {
        var response = new V1.StatsResponse
        {
            OldestPendingAge = Duration.FromTimeSpan(stats.OldestPending is { } oldest && stats.ObservedAt > oldest ? stats.ObservedAt - oldest : TimeSpan.Zero),
            Breaker = ToProto(breaker),
            ObservedAt = Timestamp.FromDateTimeOffset(stats.ObservedAt),
        };
        foreach (var (state, count) in stats.ByState)
        {
            response.ByState[state] = count;
        }

        foreach (var g in stats.Groups)
        {
            response.ByTable[g.Table] = response.ByTable.GetValueOrDefault(g.Table) + g.Count;
            response.ByErrorType[g.ErrorType] = response.ByErrorType.GetValueOrDefault(g.ErrorType) + g.Count;
            response.Groups.Add(new V1.Group
            {
                Table = g.Table,
                ErrorType = g.ErrorType,
                Count = g.Count,
                Oldest = Timestamp.FromDateTimeOffset(g.Oldest),
                SampleReason = g.SampleReason,
            });
        }

        return response;
    }

    public static V1.Breaker ToProto(BreakerSnapshot breaker)
    {
        var message = new V1.Breaker { State = breaker.StateName, Reason = breaker.Reason };
        if (breaker.RetryAt is { } retryAt)
        {
            message.RetryAt = Timestamp.FromDateTimeOffset(retryAt);
        }

        return message;
    }
}
