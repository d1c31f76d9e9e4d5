using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>The outcome of one write as the bulk and document APIs report it.</summary>
internal readonly record struct WriteResult(int Status, string? Result, long Version, long SeqNo, EsError? Error)
{
    public static WriteResult Failed(EsError error) => new(error.Status, null, 0, 0, error);

    /// <summary>"noop" updates report no shard activity.</summary>
    public bool IsNoop => Result == "noop";
}
