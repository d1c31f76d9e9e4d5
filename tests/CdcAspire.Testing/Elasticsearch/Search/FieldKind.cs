namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>How a field's values compare in queries and sorts, by mapping type.</summary>
internal enum FieldKind
{
    Keyword,
    Text,
    Long,
    Double,
    Date,
    Boolean,
    Other,
}
