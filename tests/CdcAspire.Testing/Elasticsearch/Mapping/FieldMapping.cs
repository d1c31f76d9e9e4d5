using System.Text.Json.Nodes;

namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>
/// One mapped field or object. Objects and the root use type "object" with <see cref="Properties"/>.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/mapping-types.html
/// </summary>
internal sealed class FieldMapping
{
    public FieldMapping(string type) => Type = type;

    public string Type { get; }

    public bool IsObject => Type is "object" or "nested";

    /// <summary>Children of an object or nested field; mutated only under the owning index's lock.</summary>
    public Dictionary<string, FieldMapping>? Properties { get; set; }

    /// <summary>Multi-fields, e.g. the "keyword" sub-field ES adds to dynamic strings.</summary>
    public Dictionary<string, FieldMapping>? Fields { get; set; }

    /// <summary>Null means inherited from the parent object.</summary>
    public DynamicMode? Dynamic { get; init; }

    /// <summary>Objects with "enabled": false keep their content in _source without parsing it.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>For date fields: the parsed "format" parameter.</summary>
    public EsDateFormat? DateFormat { get; init; }

    /// <summary>keyword "ignore_above": longer values are kept in _source but not indexed.</summary>
    public int? IgnoreAbove { get; init; }

    /// <summary>Every other parameter, echoed by GET _mapping.</summary>
    public JsonObject? Parameters { get; init; }

    public static FieldMapping NewObject(DynamicMode? dynamic = null) =>
        new("object") { Properties = new(StringComparer.Ordinal), Dynamic = dynamic };

    public FieldMapping? Child(string name) =>
        Properties is not null && Properties.TryGetValue(name, out var child) ? child : null;
}
