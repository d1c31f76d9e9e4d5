namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>One immutable revision of a document: its _source bytes exactly as sent, _version and _seq_no.</summary>
internal sealed class DocEntry
{
    public DocEntry(byte[] source, long version, long seqNo)
    {
        Source = source;
        Version = version;
        SeqNo = seqNo;
    }

    public byte[] Source { get; }

    public long Version { get; }

    public long SeqNo { get; }
}
