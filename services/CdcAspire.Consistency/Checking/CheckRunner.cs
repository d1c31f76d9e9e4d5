using CdcAspire.Consistency.Diagnostics;
using CdcAspire.Consistency.Repair;
using CdcAspire.Consistency.Results;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Changes;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Consistency.Checking;

/// <summary>
/// One table's check as the API and the scheduler run it: check, repair what it found when asked, record the metrics
/// and keep the result. A failure becomes the result's <c>error</c> rather than an exception, so the other tables of a
/// request still run.
/// </summary>
public sealed class CheckRunner(TableChecker checker, TableRepairer repairer, ResultStore store, ConsistencyMetrics metrics, TimeProvider time, ILogger<CheckRunner> logger)
{
    public TableChecker Checker => checker;

    public async Task<TableResult> CheckAsync(
        TableId table, Mode mode, int sampleSize, int maxDifferences, bool repair, Action<TableProgress> progress, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        TableResult result;
        try
        {
            var check = await checker.CheckAsync(table, mode, sampleSize, maxDifferences, progress, cancellationToken);
            result = check.Result;
            metrics.Checked(result);
            Log.Checked(logger, result.Table, result.Mode.ToString(), result.Missing, result.Extra, result.Mismatched,
                result.Duration.ToTimeSpan().TotalSeconds, result.RowsChecked);
            if (repair && check.All.Count > 0)
            {
                result.Repaired = await repairer.RepairAsync(table, [.. check.All.Select(d => d.Key)], cancellationToken);
                if (!check.Complete)
                {
                    result.Error = "More differences than Consistency:MaxCandidates: only the first were repaired; run the repair again.";
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CheckFailed(logger, table.ToString(), ex.Message, ex);
            result = new TableResult
            {
                Id = Guid.CreateVersion7().ToString(), Table = table.ToString(), Mode = mode == Mode.Unspecified ? Mode.Full : mode,
                StartedAt = Timestamp.FromDateTimeOffset(started), Duration = Duration.FromTimeSpan(time.GetUtcNow() - started),
                Error = ex.Message,
            };
        }

        await KeepAsync(result, cancellationToken);
        return result;
    }

    /// <summary>Rewrites the given documents from their rows (no check first).</summary>
    public async Task<TableResult> RepairKeysAsync(TableId table, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var result = new TableResult
        {
            Id = Guid.CreateVersion7().ToString(), Table = table.ToString(), Mode = Mode.Unspecified,
            StartedAt = Timestamp.FromDateTimeOffset(started),
        };
        try
        {
            result.Repaired = await repairer.RepairAsync(table, keys, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CheckFailed(logger, table.ToString(), ex.Message, ex);
            result.Error = ex.Message;
        }

        result.Duration = Duration.FromTimeSpan(time.GetUtcNow() - started);
        return result;
    }

    private async Task KeepAsync(TableResult result, CancellationToken cancellationToken)
    {
        try
        {
            await store.SaveAsync(result, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ResultNotKept(logger, result.Table, ex.Message, ex);
        }
    }
}
