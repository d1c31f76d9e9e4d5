using CdcAspire.Consistency.Diagnostics;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Refresh;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Consistency.Repair;

/// <summary>
/// Rewrites documents from their rows' current state with the pipeline's one rule (<see cref="CurrentStateWriter"/>:
/// version fenced before the read, a gone row becomes a delete), so a repair running beside the stream never
/// overwrites a newer change and never resurrects a deleted row. Extras are deleted by the same rule: no row, delete.
/// </summary>
public sealed class TableRepairer(CurrentStateWriter writer, ConsistencyMetrics metrics, ILogger<TableRepairer> logger)
{
    /// <summary>Transient failures (429/5xx) are retried this many times.</summary>
    private const int Attempts = 3;

    public async Task<RepairCounts> RepairAsync(TableId table, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var counts = new RepairCounts();
        var pending = ids.Distinct(StringComparer.Ordinal).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var results = await writer.RefreshAsync(table, pending, cancellationToken);
            pending = [];
            foreach (var result in results)
            {
                switch (result.Outcome)
                {
                    case RefreshOutcome.Indexed: counts.Indexed++; break;
                    case RefreshOutcome.Deleted: counts.Deleted++; break;
                    case RefreshOutcome.Superseded: counts.Superseded++; break;
                    case RefreshOutcome.Failed when result.Transient && attempt < Attempts: pending.Add(result.DocumentId); break;
                    default: counts.Failed++; break;
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }

        metrics.Repaired(table.ToString(), counts);
        Log.Repaired(logger, table.ToString(), counts.Indexed, counts.Deleted, counts.Superseded, counts.Failed);
        return counts;
    }
}
