using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>A query or sort field resolved against one index's mapping.</summary>
internal sealed record ResolvedField(FieldMapping Mapping, string[] SourceParts, FieldKind Kind)
{
    /// <summary>What a document's sort values for this field depend on (see <see cref="Cluster.DocEntry.DocValues"/>).</summary>
    public string DocValuesKey { get; } = $"{string.Join('.', SourceParts)}|{Kind}|{Mapping.Type}|{Mapping.IgnoreAbove}|{Mapping.DateFormat?.Text}";

    public static ResolvedField? Resolve(IndexMapping mapping, string field)
    {
        if (mapping.Resolve(field) is not var (fieldMapping, sourcePath))
        {
            return null;
        }

        var kind = fieldMapping.Type switch
        {
            "keyword" or "constant_keyword" or "wildcard" or "ip" or "version" => FieldKind.Keyword,
            "text" or "match_only_text" or "search_as_you_type" => FieldKind.Text,
            "long" or "integer" or "short" or "byte" or "unsigned_long" => FieldKind.Long,
            "double" or "float" or "half_float" or "scaled_float" => FieldKind.Double,
            "date" or "date_nanos" => FieldKind.Date,
            "boolean" => FieldKind.Boolean,
            _ => FieldKind.Other,
        };
        return new ResolvedField(fieldMapping, sourcePath.Split('.'), kind);
    }
}
