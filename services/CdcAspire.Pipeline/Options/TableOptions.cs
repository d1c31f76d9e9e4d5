namespace CdcAspire.Pipeline.Options;

/// <summary>How one table becomes documents.</summary>
public sealed class TableOptions
{
    /// <summary>Target index or write alias. Default: the table name in lower case (Elasticsearch index names are lower case).</summary>
    public string? Index { get; set; }

    /// <summary>Only these columns go into the document (key columns are always usable for the id). Empty = all.</summary>
    public List<string> IncludeColumns { get; set; } = [];

    /// <summary>These columns never go into the document (e.g. password hashes).</summary>
    public List<string> ExcludeColumns { get; set; } = [];
}
