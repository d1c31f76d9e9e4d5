using System.Diagnostics;
using CdcAspire.Consistency.Documents;
using CdcAspire.Consistency.Options;
using CdcAspire.Consistency.Rows;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using Google.Protobuf.WellKnownTypes;

namespace CdcAspire.Consistency.Checking;

/// <summary>Checks one table in one mode and returns its result with every confirmed difference.</summary>
public sealed class TableChecker(
    PostgresConnections connections,
    PgTypeCatalog types,
    DocumentMapper mapper,
    RowReader rows,
    DocumentReader documents,
    MergePass merge,
    Recheck recheck,
    SinkAcknowledgement sink,
    ConsistencyOptions options,
    TimeProvider time)
{
    /// <summary>The tables the sink follows (<c>Cdc:Tables</c>), in name order.</summary>
    public IReadOnlyList<TableId> Tables => [.. mapper.Mappings.Keys.OrderBy(t => t.ToString(), StringComparer.Ordinal)];

    /// <summary>The configured table for a name ("public.orders" or "orders"); null when it is not followed.</summary>
    public TableId? Resolve(string name)
    {
        var id = TableId.Parse(name);
        return mapper.Mappings.ContainsKey(id) ? id : null;
    }

    public async Task<CheckedTable> DescribeAsync(TableId table, CancellationToken cancellationToken) =>
        new(await SourceTables.DescribeAsync(connections, table, types, cancellationToken), mapper.Mappings[table]);

    public async Task<TableCheck> CheckAsync(
        TableId id, Mode mode, int sampleSize, int maxDifferences, Action<TableProgress> progress, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var table = await DescribeAsync(id, cancellationToken);
        var index = table.Mapping.Index;
        var estimate = await rows.EstimateAsync(table, cancellationToken);
        var result = new TableResult
        {
            Id = Guid.CreateVersion7().ToString(),
            Table = id.ToString(),
            Index = index,
            Mode = mode == Mode.Unspecified ? Mode.Full : mode,
            StartedAt = Timestamp.FromDateTimeOffset(started),
        };
        List<Difference> all = [];
        switch (result.Mode)
        {
            case Mode.Count:
                await CountAsync(table, result, cancellationToken);
                break;
            case Mode.Sample:
                var sample = await rows.SampleAsync(table, sampleSize > 0 ? sampleSize : options.SampleSize, cancellationToken);
                result.RowsChecked = sample.Count;
                var sampled = await recheck.RunAsync(table, index, [.. sample.Select(r => r.Id)], cancellationToken);
                Apply(result, sampled, null);
                result.DocumentsChecked = sample.Count - sampled.Missing;
                all = sampled.Differences;
                break;
            default:
                await documents.RefreshAsync(index, cancellationToken);
                var sortFields = await documents.ExistsAsync(index, cancellationToken)
                    ? await documents.SortFieldsAsync(index, table, cancellationToken)
                    : [.. table.KeyOrder.Select(k => k.Column.Name)];
                var pass = await merge.RunAsync(table, index, sortFields, o => progress(new TableProgress
                {
                    Table = result.Table, RowsChecked = o.RowsChecked, RowsEstimated = estimate, Differences = o.CandidateCount,
                }), cancellationToken);
                result.RowsChecked = pass.RowsChecked;
                result.DocumentsChecked = pass.DocumentsChecked;
                var confirmed = await recheck.RunAsync(table, index, [.. pass.Candidates.Select(c => c.Id)], cancellationToken);
                Apply(result, confirmed, pass);
                all = confirmed.Differences;
                break;
        }

        all.Sort((a, b) => CompareIds(table, a.Key, b.Key));
        result.Differences.AddRange(all.Take(maxDifferences > 0 ? maxDifferences : options.MaxDifferences));
        result.Duration = Duration.FromTimeSpan(clock.Elapsed);
        progress(new TableProgress
        {
            Table = result.Table, RowsChecked = result.RowsChecked, RowsEstimated = estimate,
            Differences = result.Missing + result.Extra + result.Mismatched,
        });
        return new TableCheck(result, all, result.Mode == Mode.Full && all.Count == result.Missing + result.Extra + result.Mismatched);
    }

    private static void Apply(TableResult result, RecheckOutcome confirmed, MergeOutcome? pass)
    {
        result.Missing = confirmed.Missing + (pass?.Overflow.GetValueOrDefault(DifferenceKind.Missing) ?? 0);
        result.Extra = confirmed.Extra + (pass?.Overflow.GetValueOrDefault(DifferenceKind.Extra) ?? 0);
        result.Mismatched = confirmed.Mismatched + (pass?.Overflow.GetValueOrDefault(DifferenceKind.Mismatched) ?? 0);
        if (confirmed.SinkBehind)
        {
            result.Error = "The sink's slot did not acknowledge the check's position within Consistency:SinkWaitTimeout; " +
                "differences were compared as they stood and may include changes still on their way.";
        }
    }

    /// <summary>
    /// Rows against documents. Under a write workload the two counts are read at different moments, so a difference is
    /// counted again once the sink has acknowledged past the row count's moment (up to three times).
    /// </summary>
    private async Task CountAsync(CheckedTable table, TableResult result, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var rowCount = await rows.CountAsync(table, cancellationToken);
            var lsn = await sink.CurrentWalAsync(cancellationToken);
            var state = await sink.WaitForAsync(lsn, options.SinkWaitTimeout, cancellationToken);
            await documents.RefreshAsync(table.Mapping.Index, cancellationToken);
            var documentCount = await documents.CountAsync(table.Mapping.Index, cancellationToken);
            result.RowCount = result.RowsChecked = rowCount;
            result.DocumentCount = result.DocumentsChecked = documentCount;
            result.Missing = Math.Max(0, rowCount - documentCount);
            result.Extra = Math.Max(0, documentCount - rowCount);
            if (rowCount == documentCount || state != SinkState.Caught || attempt == 2)
            {
                return;
            }
        }
    }

    private static int CompareIds(CheckedTable table, string a, string b) =>
        table.KeyOf(a) is { } x && table.KeyOf(b) is { } y ? table.CompareKeys(x, y) : string.CompareOrdinal(a, b);
}

/// <summary>A table's check: the result (differences listed up to the limit) and every confirmed difference (for repair).</summary>
/// <param name="Complete">Every difference is in <paramref name="All"/> (none only counted beyond Consistency:MaxCandidates).</param>
public sealed record TableCheck(TableResult Result, IReadOnlyList<Difference> All, bool Complete);
