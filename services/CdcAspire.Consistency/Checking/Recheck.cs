using CdcAspire.Consistency.Documents;
using CdcAspire.Consistency.Options;
using CdcAspire.Consistency.Rows;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Refresh;

namespace CdcAspire.Consistency.Checking;

/// <summary>
/// Confirms candidate differences against the current state, so a check never reports a row the stream is still
/// carrying. Per batch of ids:
/// <list type="number">
/// <item>take the version fence F (<see cref="VersionFence"/>: every change committed later carries a higher version);</item>
/// <item>read the rows (R1) in a snapshot after F;</item>
/// <item>take the WAL end L and wait until the sink's slot has confirmed L: every change visible to R1 is then in
/// Elasticsearch;</item>
/// <item>get the documents (D, real-time, with versions), then the rows again (R2, only their <c>xmin</c> matters).</item>
/// </list>
/// A document whose version is above F was written from a change after the read: the comparison is inconclusive and
/// the id goes to the next round. A document missing for a row whose <c>xmin</c> changed between R1 and R2 likewise.
/// Everything else is exact: D holds every change up to L and none after F, so it must equal R1. When no sink holds
/// the slot (paused or absent) nothing waits: documents are compared as they are, which is the divergence to report.
/// </summary>
public sealed class Recheck(RowReader rows, DocumentReader documents, VersionFence fence, SinkAcknowledgement sink, ConsistencyOptions options)
{
    private const int BatchSize = 500;

    public async Task<RecheckOutcome> RunAsync(CheckedTable table, string index, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var outcome = new RecheckOutcome();
        for (var start = 0; start < ids.Count; start += BatchSize)
        {
            var pending = ids.Skip(start).Take(BatchSize).Distinct(StringComparer.Ordinal).ToList();
            for (var round = 0; round < options.RecheckRounds && pending.Count > 0; round++)
            {
                pending = await RoundAsync(table, index, pending, outcome, cancellationToken);
            }

            outcome.Inconclusive += pending.Count;
        }

        return outcome;
    }

    private async Task<List<string>> RoundAsync(CheckedTable table, string index, List<string> ids, RecheckOutcome outcome, CancellationToken cancellationToken)
    {
        var keys = ids.Select(id => (Id: id, Key: table.KeyOf(id))).ToList();
        var parsable = keys.Where(k => k.Key is not null).Select(k => k.Key!).ToList();
        var taken = await fence.TakeAsync(cancellationToken);
        var before = await rows.ReadByKeysAsync(table, parsable, cancellationToken);
        var lsn = await sink.CurrentWalAsync(cancellationToken);
        var state = await sink.WaitForAsync(lsn, options.SinkWaitTimeout, cancellationToken);
        if (state == SinkState.Behind)
        {
            outcome.SinkBehind = true;
        }

        var docs = await documents.GetManyAsync(index, ids, cancellationToken);
        var absentKeys = keys.Where(k => k.Key is not null && !docs.ContainsKey(k.Id) && before.ContainsKey(k.Id)).Select(k => k.Key!).ToList();
        var after = absentKeys.Count > 0 ? await rows.ReadByKeysAsync(table, absentKeys, cancellationToken) : [];
        var again = new List<string>();
        foreach (var (id, _) in keys)
        {
            before.TryGetValue(id, out var row);
            docs.TryGetValue(id, out var doc);
            if (doc is not null && doc.Version > taken.ExternalVersion && state != SinkState.NotStreaming)
            {
                again.Add(id); // Written from a change after the read: compare again next round.
                continue;
            }

            if (row is not null && doc is null)
            {
                if (!after.TryGetValue(id, out var now) || now.Xmin != row.Xmin)
                {
                    again.Add(id); // The row changed (or went) meanwhile.
                    continue;
                }

                outcome.Add(new Difference { Key = id, Kind = DifferenceKind.Missing });
            }
            else if (row is null && doc is not null)
            {
                outcome.Add(new Difference { Key = id, Kind = DifferenceKind.Extra });
            }
            else if (row is not null && doc is not null)
            {
                var fields = DocumentComparer.Differences(row.Document, doc.Source);
                if (fields.Count > 0)
                {
                    var difference = new Difference { Key = id, Kind = DifferenceKind.Mismatched };
                    difference.Fields.AddRange(fields);
                    outcome.Add(difference);
                }
            }
        }

        return again;
    }
}

/// <summary>The confirmed differences, and the ids that kept changing through every round (not reported).</summary>
public sealed class RecheckOutcome
{
    public List<Difference> Differences { get; } = [];

    public long Missing { get; private set; }

    public long Extra { get; private set; }

    public long Mismatched { get; private set; }

    public long Inconclusive { get; set; }

    /// <summary>The sink's slot did not reach the check's position within Consistency:SinkWaitTimeout.</summary>
    public bool SinkBehind { get; set; }

    public void Add(Difference difference)
    {
        Differences.Add(difference);
        switch (difference.Kind)
        {
            case DifferenceKind.Missing: Missing++; break;
            case DifferenceKind.Extra: Extra++; break;
            default: Mismatched++; break;
        }
    }
}
