using System.Text.Json;

namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>
/// Writes a mapping as GET _mapping returns it: objects without "type", properties sorted by name.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-mapping.html
/// </summary>
internal static class MappingWriter
{
    public static void Write(Utf8JsonWriter writer, IndexMapping mapping)
    {
        writer.WriteStartObject();
        WriteDynamic(writer, mapping.Root.Dynamic);
        if (mapping.RootParameters is not null)
        {
            foreach (var (key, value) in mapping.RootParameters)
            {
                writer.WritePropertyName(key);
                WriteNode(writer, value);
            }
        }

        if (mapping.Root.Properties is { Count: > 0 } properties)
        {
            WriteProperties(writer, "properties", properties);
        }

        writer.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter writer, FieldMapping field)
    {
        writer.WriteStartObject();
        if (field.Type != "object")
        {
            writer.WriteString("type", field.Type);
        }

        WriteDynamic(writer, field.Dynamic);
        if (field.Parameters is not null)
        {
            foreach (var (key, value) in field.Parameters)
            {
                writer.WritePropertyName(key);
                WriteNode(writer, value);
            }
        }

        if (field.Fields is { Count: > 0 } fields)
        {
            WriteProperties(writer, "fields", fields);
        }

        if (field.Properties is { Count: > 0 } properties)
        {
            WriteProperties(writer, "properties", properties);
        }

        writer.WriteEndObject();
    }

    private static void WriteProperties(Utf8JsonWriter writer, string name, Dictionary<string, FieldMapping> properties)
    {
        writer.WriteStartObject(name);
        var names = new List<string>(properties.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (var key in names)
        {
            writer.WritePropertyName(key);
            WriteField(writer, properties[key]);
        }

        writer.WriteEndObject();
    }

    private static void WriteDynamic(Utf8JsonWriter writer, DynamicMode? dynamic)
    {
        if (dynamic is { } mode)
        {
            writer.WriteString("dynamic", mode.ToString().ToLowerInvariant());
        }
    }

    private static void WriteNode(Utf8JsonWriter writer, System.Text.Json.Nodes.JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
