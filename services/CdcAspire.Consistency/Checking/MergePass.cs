using CdcAspire.Consistency.Documents;
using CdcAspire.Consistency.Options;
using CdcAspire.Consistency.Rows;
using CdcAspire.Consistency.V1;

namespace CdcAspire.Consistency.Checking;

/// <summary>
/// The full check's first pass: rows (one snapshot, key order) and documents (one point in time, key order) merged
/// like a merge join. A row or document without a partner waits in a bounded window in case the other side lists it
/// a little later (the two orders can disagree locally, e.g. on code points outside the BMP), then becomes a
/// candidate missing/extra. Memory: a few pages per side (the one being merged and those read ahead) plus the window,
/// whatever the table's size.
/// </summary>
public sealed class MergePass(RowReader rows, DocumentReader documents, ConsistencyOptions options)
{
    public async Task<MergeOutcome> RunAsync(
        CheckedTable table, string index, string[] sortFields, Action<MergeOutcome> progress, CancellationToken cancellationToken)
    {
        var outcome = new MergeOutcome(options.MaxCandidates);
        var orphanRows = new Window<RowDocument>(options.MergeWindow, r => outcome.Add(new Candidate(r.Id, DifferenceKind.Missing)));
        var orphanDocs = new Window<IndexedDocument>(options.MergeWindow, d => outcome.Add(new Candidate(d.Id, DifferenceKind.Extra)));
        // Whole pages ahead on both sides (their buffers are pooled and go back as the merge moves past them).
        await using var rowItems = new PageCursor<RowDocument>(Prefetch.Ahead(rows.ReadPagesAsync(table, options.PageSize, cancellationToken), 2, cancellationToken)
            .GetAsyncEnumerator(cancellationToken));
        await using var docItems = new PageCursor<IndexedDocument>(Prefetch.Ahead(documents.ReadPagesAsync(index, sortFields, options.PageSize, options.PitKeepAlive, cancellationToken), 2, cancellationToken)
            .GetAsyncEnumerator(cancellationToken));
        var row = await rowItems.MoveNextAsync() ? rowItems.Current : null;
        var doc = await docItems.MoveNextAsync() ? docItems.Current : null;
        string[]? docKey = doc is null ? null : table.KeyOf(doc.Id);
        while (row is not null || doc is not null)
        {
            var c = row is null ? 1 : doc is null ? -1 : docKey is null ? 1 : table.CompareKeys(row.Key, docKey);
            if (c == 0 && !string.Equals(row!.Id, doc!.Id, StringComparison.Ordinal))
            {
                c = string.CompareOrdinal(row.Id, doc.Id); // Equal in order yet different ids (e.g. "01" and "1"): keep both apart.
            }

            if (c <= 0)
            {
                outcome.RowsChecked++;
                if (c == 0)
                {
                    Compare(outcome, row!, doc!.Source);
                }
                else if (orphanDocs.Take(row!.Id) is { } earlier)
                {
                    Compare(outcome, row, earlier.Source);
                }
                else
                {
                    orphanRows.Put(row.Id, row with { Document = row.Document.ToArray() }); // Its page's buffer goes back soon.
                }

                row = await rowItems.MoveNextAsync() ? rowItems.Current : null;
            }

            if (c >= 0)
            {
                outcome.DocumentsChecked++;
                if (c > 0)
                {
                    if (orphanRows.Take(doc!.Id) is { } earlier)
                    {
                        Compare(outcome, earlier, doc.Source);
                    }
                    else
                    {
                        // Its page's buffer goes back soon: copy the few that wait.
                        orphanDocs.Put(doc.Id, doc with { Source = doc.Source.ToArray() });
                    }
                }

                doc = await docItems.MoveNextAsync() ? docItems.Current : null;
                docKey = doc is null ? null : table.KeyOf(doc.Id);
            }

            if (((outcome.RowsChecked + outcome.DocumentsChecked) & 0x3FFF) == 0)
            {
                progress(outcome);
            }
        }

        orphanRows.Flush();
        orphanDocs.Flush();
        progress(outcome);
        return outcome;
    }

    private static void Compare(MergeOutcome outcome, RowDocument row, ReadOnlyMemory<byte> source)
    {
        if (!row.Document.Span.SequenceEqual(source.Span) && DocumentComparer.Differences(row.Document, source).Count > 0)
        {
            outcome.Add(new Candidate(row.Id, DifferenceKind.Mismatched));
        }
    }

    /// <summary>Items without a partner yet, oldest evicted first once the window is full.</summary>
    private sealed class Window<T>(int capacity, Action<T> evicted) where T : class
    {
        private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public T? Take(string id) => _items.Remove(id, out var item) ? item : null;

        public void Put(string id, T item)
        {
            _items[id] = item;
            _order.Enqueue(id);
            while (_items.Count > capacity && _order.TryDequeue(out var oldest))
            {
                if (_items.Remove(oldest, out var gone))
                {
                    evicted(gone);
                }
            }

            // Ids already matched leave stale entries behind: compact when they dominate.
            if (_order.Count > 4 * Math.Max(capacity, _items.Count))
            {
                var live = _order.Where(_items.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
                _order.Clear();
                live.ForEach(_order.Enqueue);
            }
        }

        public void Flush()
        {
            while (_order.TryDequeue(out var id))
            {
                if (_items.Remove(id, out var item))
                {
                    evicted(item);
                }
            }
        }
    }
}

/// <summary>What the first pass found: counts and the candidates (at most the configured number; the rest only counted).</summary>
public sealed class MergeOutcome(int maxCandidates)
{
    public long RowsChecked { get; set; }

    public long DocumentsChecked { get; set; }

    public List<Candidate> Candidates { get; } = [];

    /// <summary>Candidates beyond the limit, by kind: reported from the first pass without a re-check.</summary>
    public Dictionary<DifferenceKind, long> Overflow { get; } = [];

    public long CandidateCount => Candidates.Count + Overflow.Values.Sum();

    public void Add(Candidate candidate)
    {
        if (Candidates.Count < maxCandidates)
        {
            Candidates.Add(candidate);
        }
        else
        {
            Overflow[candidate.Kind] = Overflow.GetValueOrDefault(candidate.Kind) + 1;
        }
    }
}
