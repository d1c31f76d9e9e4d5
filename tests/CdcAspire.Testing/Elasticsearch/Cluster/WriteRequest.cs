namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>One write: a bulk item or a single-document API call, after validation.</summary>
internal sealed class WriteRequest
{
    /// <summary>ES's Versions.MATCH_ANY: no version given.</summary>
    public const long MatchAny = -3;

    /// <summary>ES's SequenceNumbers.UNASSIGNED_SEQ_NO: no if_seq_no given.</summary>
    public const long UnassignedSeqNo = -2;

    public WriteOp Op { get; set; }

    public string? Index { get; set; }

    public string? Id { get; set; }

    public VersionType VersionType { get; set; }

    /// <summary>The version_type text as given, for error messages ("EXTERNAL", "EXTERNAL_GTE").</summary>
    public string VersionTypeName { get; set; } = "INTERNAL";

    public long Version { get; set; } = MatchAny;

    public long IfSeqNo { get; set; } = UnassignedSeqNo;

    public long IfPrimaryTerm { get; set; }

    public bool RequireAlias { get; set; }

    /// <summary>index/create: the document exactly as sent.</summary>
    public byte[]? Source { get; set; }

    /// <summary>update: the parsed update body.</summary>
    public UpdateSpec? Update { get; set; }
}
