using System.Text.Json.Nodes;

namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>
/// An index's mapping: the root object plus root-only parameters.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/mapping.html
/// </summary>
internal sealed class IndexMapping
{
    public IndexMapping(FieldMapping root, bool dateDetection, JsonObject? rootParameters)
    {
        Root = root;
        DateDetection = dateDetection;
        RootParameters = rootParameters;
    }

    public FieldMapping Root { get; }

    /// <summary>https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic-field-mapping.html#date-detection</summary>
    public bool DateDetection { get; }

    /// <summary>Root parameters other than properties/dynamic (e.g. _source, _meta, dynamic_templates).</summary>
    public JsonObject? RootParameters { get; }

    public static IndexMapping Empty() => new(FieldMapping.NewObject(DynamicMode.True), dateDetection: true, rootParameters: null);

    /// <summary>
    /// Resolves a query or sort field such as "customer.name.keyword" to its mapping and the _source path it reads.
    /// Returns null for unmapped fields, which match nothing.
    /// </summary>
    public (FieldMapping Field, string SourcePath)? Resolve(string path)
    {
        var node = Root;
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var child = node.Child(parts[i]);
            if (child is null)
            {
                return null;
            }

            if (i == parts.Length - 1)
            {
                return (child, path);
            }

            if (!child.IsObject)
            {
                // A multi-field: "name.keyword" reads the _source value of "name".
                if (i == parts.Length - 2 && child.Fields is not null && child.Fields.TryGetValue(parts[^1], out var sub))
                {
                    return (sub, string.Join('.', parts, 0, parts.Length - 1));
                }

                return null;
            }

            node = child;
        }

        return null;
    }
}
