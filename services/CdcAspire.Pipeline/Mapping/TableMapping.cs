using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Options;

namespace CdcAspire.Pipeline.Mapping;

/// <summary>How one table's rows become documents: target index and which columns the document holds.</summary>
public sealed class TableMapping
{
    private readonly HashSet<string>? _include;
    private readonly HashSet<string>? _exclude;

    public TableMapping(TableId table, TableOptions options)
    {
        Table = table;
        Index = CdcOptionsValidator.IndexNameFor(table, options);
        _include = options.IncludeColumns.Count > 0 ? new HashSet<string>(options.IncludeColumns, StringComparer.Ordinal) : null;
        _exclude = options.ExcludeColumns.Count > 0 ? new HashSet<string>(options.ExcludeColumns, StringComparer.Ordinal) : null;
    }

    public TableId Table { get; }

    public string Index { get; }

    /// <summary>Whether a column goes into the document. New columns (a relation change) are included unless excluded.</summary>
    public bool Includes(string column) =>
        (_include is null || _include.Contains(column)) && (_exclude is null || !_exclude.Contains(column));

    /// <summary>All mappings from options, keyed by table.</summary>
    public static IReadOnlyDictionary<TableId, TableMapping> FromOptions(CdcOptions options) =>
        options.Tables.ToDictionary(kv => TableId.Parse(kv.Key), kv => new TableMapping(TableId.Parse(kv.Key), kv.Value));
}
