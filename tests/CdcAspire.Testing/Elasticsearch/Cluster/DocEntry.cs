using CdcAspire.Testing.Elasticsearch.Search;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>One immutable revision of a document: its _source bytes exactly as sent, _version and _seq_no.</summary>
internal sealed class DocEntry
{
    // Sort values per field, built on first use and kept with the revision (see DocValues).
    private (string Key, SortValue[] Values)[] _docValues = [];

    public DocEntry(byte[] source, long version, long seqNo)
    {
        Source = source;
        Version = version;
        SeqNo = seqNo;
    }

    public byte[] Source { get; }

    public long Version { get; }

    public long SeqNo { get; }

    /// <summary>
    /// The field's sort values for this revision. Elasticsearch sorts from doc values written at index time and never
    /// re-reads _source to sort; the test server builds them from _source the first time a field is sorted on and keeps
    /// them (the revision never changes), so sorting a large index a second time costs what it costs a real cluster:
    /// no parse per document.
    /// </summary>
    public SortValue[] DocValues<TState>(string key, TState state, Func<TState, SortValue[]> build)
    {
        foreach (var (k, values) in Volatile.Read(ref _docValues))
        {
            if (k == key)
            {
                return values;
            }
        }

        var built = build(state);
        // Copy-on-write: concurrent searches may both build; either result is the same.
        Volatile.Write(ref _docValues, [.. _docValues, (key, built)]);
        return built;
    }
}
