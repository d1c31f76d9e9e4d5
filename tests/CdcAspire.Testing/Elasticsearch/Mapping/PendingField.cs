namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>A dynamically inferred field that is attached to the mapping only if its document is accepted.</summary>
internal readonly record struct PendingField(FieldMapping Parent, string Name, FieldMapping Field);
