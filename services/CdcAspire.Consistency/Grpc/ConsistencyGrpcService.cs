using System.Threading.Channels;
using CdcAspire.Consistency.Checking;
using CdcAspire.Consistency.Results;
using CdcAspire.Consistency.Resync;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Changes;
using CdcAspire.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace CdcAspire.Consistency.Grpc;

/// <summary>The <c>cdcaspire.consistency.v1.ConsistencyService</c> API (protos/consistency.proto).</summary>
public sealed class ConsistencyGrpcService(CheckRunner runner, ResultStore results, ResyncRunner resyncs) : ConsistencyService.ConsistencyServiceBase
{
    public override async Task Check(CheckRequest request, IServerStreamWriter<CheckProgress> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Repair && context.GetHttpContext().User.Identity?.IsAuthenticated != true)
        {
            // Checking is read-only and anonymous; repairing changes documents and needs the token like Repair.
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Check with repair = true changes documents: send the API token (Cdc:Api:Token) as 'authorization: Bearer <token>'."));
        }

        var tables = Tables(request.Tables);
        await StreamAsync(responseStream, context, async (emit, ct) =>
        {
            foreach (var table in tables)
            {
                var result = await runner.CheckAsync(table, request.Mode, request.SampleSize, request.MaxDifferences, request.Repair,
                    p => emit(new CheckProgress { Progress = p }), ct);
                emit(new CheckProgress { Result = result });
            }
        });
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override async Task Repair(RepairRequest request, IServerStreamWriter<CheckProgress> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var table = Tables([request.Table]).Single();
        await StreamAsync(responseStream, context, async (emit, ct) =>
        {
            var result = request.Keys.Count > 0
                ? await runner.RepairKeysAsync(table, request.Keys, ct)
                : await runner.CheckAsync(table, Mode.Full, 0, 0, repair: true, p => emit(new CheckProgress { Progress = p }), ct);
            emit(new CheckProgress { Result = result });
        });
    }

    [Authorize(Policy = ApiToken.ChangePolicy)]
    public override async Task Resync(ResyncRequest request, IServerStreamWriter<ResyncProgress> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var table = Tables([request.Table]).Single();
        await StreamAsync(responseStream, context, (emit, ct) => resyncs.RunAsync(table, request.KeepOldIndex, emit, ct));
    }

    public override async Task<ListResultsResponse> ListResults(ListResultsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var table = string.IsNullOrEmpty(request.Table) ? string.Empty : Tables([request.Table]).Single().ToString();
        var response = new ListResultsResponse();
        response.Results.AddRange(await results.ListAsync(table, request.Limit, context.CancellationToken));
        return response;
    }

    private List<TableId> Tables(IEnumerable<string> names)
    {
        var list = names.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        if (list.Count == 0)
        {
            return [.. runner.Checker.Tables];
        }

        return [.. list.Select(name => runner.Checker.Resolve(name) ?? throw new RpcException(new Status(StatusCode.NotFound,
            $"Table '{name}' is not followed by the sink (Cdc:Tables lists {string.Join(", ", runner.Checker.Tables)}).")))];
    }

    /// <summary>
    /// Runs <paramref name="work"/> while writing what it emits to the stream in order: progress arrives through a
    /// bounded channel that drops stale progress (never a result) when the client reads slowly.
    /// </summary>
    private static async Task StreamAsync<T>(IServerStreamWriter<T> stream, ServerCallContext context, Func<Action<T>, CancellationToken, Task> work)
        where T : class
    {
        var channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
        var ct = context.CancellationToken;
        var running = Task.Run(async () =>
        {
            try
            {
                await work(item => channel.Writer.TryWrite(item), ct);
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, ct);
        await foreach (var item in channel.Reader.ReadAllAsync(ct))
        {
            await stream.WriteAsync(item, ct);
        }

        await running;
    }
}
