using System.Collections.Concurrent;
using CdcAspire.Consistency.V1;
using CdcAspire.ServiceDefaults.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace CdcAspire.Cli.Tests.Fakes;

/// <summary>ConsistencyService from consistency.proto with canned results and recorded requests.</summary>
internal sealed class FakeConsistencyService : ConsistencyService.ConsistencyServiceBase
{
    public ConcurrentQueue<object> Requests { get; } = new();

    /// <summary>When true, every table is an exact copy.</summary>
    public bool Clean { get; set; }

    public long RepairFailures { get; set; }

    /// <summary>The last resync stage reported.</summary>
    public string ResyncEnd { get; set; } = "done";

    public override async Task Check(CheckRequest request, IServerStreamWriter<CheckProgress> responseStream, ServerCallContext context)
    {
        Requests.Enqueue(request);
        if (request.Repair && context.GetHttpContext().User.Identity?.IsAuthenticated != true)
        {
            // A check is read-only, a repairing check is not: the real service asks for the token the same way.
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Repairing needs the API token: pass --token or set CDC_API_TOKEN."));
        }

        var tables = request.Tables.Count > 0 ? request.Tables.ToList() : ["public.orders", "public.users"];
        foreach (var table in tables)
        {
            await responseStream.WriteAsync(new CheckProgress { Progress = new TableProgress { Table = table, RowsChecked = 50, RowsEstimated = 100 } }, context.CancellationToken);
            await responseStream.WriteAsync(new CheckProgress { Result = Result(table, request.Mode, request.Repair) }, context.CancellationToken);
        }
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override async Task Repair(RepairRequest request, IServerStreamWriter<CheckProgress> responseStream, ServerCallContext context)
    {
        Requests.Enqueue(request);
        await responseStream.WriteAsync(new CheckProgress { Result = Result(request.Table, Mode.Full, repair: true) }, context.CancellationToken);
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override async Task Resync(ResyncRequest request, IServerStreamWriter<ResyncProgress> responseStream, ServerCallContext context)
    {
        Requests.Enqueue(request);
        foreach (var stage in new[] { "creating", "snapshotting", "catching-up", "swapping", ResyncEnd })
        {
            await responseStream.WriteAsync(new ResyncProgress
            {
                Stage = stage,
                Table = request.Table,
                Alias = "orders",
                OldIndex = "orders-v1",
                NewIndex = "orders-v2",
                RowsDone = 1000,
                RowsEstimated = 1000,
                Detail = stage == "failed" ? "Elasticsearch refused the alias swap" : string.Empty,
            }, context.CancellationToken);
        }
    }

    private TableResult Result(string table, Mode mode, bool repair)
    {
        var result = new TableResult
        {
            Id = Guid.NewGuid().ToString(),
            Table = table,
            Index = table.Split('.')[1],
            Mode = mode,
            StartedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(20000)),
            Duration = Duration.FromTimeSpan(TimeSpan.FromSeconds(1.5)),
            RowsChecked = 100,
            DocumentsChecked = Clean ? 100 : 100,
        };
        if (!Clean)
        {
            result.Missing = 1;
            result.Extra = 1;
            result.Mismatched = 1;
            result.Differences.Add(new Difference { Key = "7", Kind = DifferenceKind.Missing });
            result.Differences.Add(new Difference { Key = "8", Kind = DifferenceKind.Extra });
            var mismatch = new Difference { Key = "9", Kind = DifferenceKind.Mismatched };
            mismatch.Fields.Add(new FieldDifference { Field = "price", RowValue = "10.50", DocumentValue = "10.5" });
            result.Differences.Add(mismatch);
        }

        if (repair)
        {
            result.Repaired = new RepairCounts { Indexed = 2, Deleted = 1, Failed = RepairFailures };
        }

        return result;
    }
}
