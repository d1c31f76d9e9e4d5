using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// An index's settings, kept flat ("index.number_of_replicas" = "1") as ES stores them and returned nested.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules.html
/// </summary>
internal sealed class IndexSettings
{
    private IndexSettings(SortedDictionary<string, string> values)
    {
        Values = values;
        Replicas = ReadInt("index.number_of_replicas", 1);
        Shards = ReadInt("index.number_of_shards", 1);

        // index.gc_deletes: how long a deleted document's version stays available for versioned operations (60s).
        GcDeletes = TimeValue.Parse("index.gc_deletes", values.GetValueOrDefault("index.gc_deletes", "60s")) ?? TimeSpan.Zero;

        // index.refresh_interval: 1s by default, -1 disables periodic refresh.
        RefreshInterval = TimeValue.Parse("index.refresh_interval", values.GetValueOrDefault("index.refresh_interval", "1s"));
    }

    public SortedDictionary<string, string> Values { get; }

    public int Replicas { get; }

    public int Shards { get; }

    public TimeSpan GcDeletes { get; }

    public TimeSpan? RefreshInterval { get; }

    public static IndexSettings Create(SortedDictionary<string, string> user, string name, string uuid, DateTimeOffset createdAt)
    {
        var values = new SortedDictionary<string, string>(user, StringComparer.Ordinal)
        {
            ["index.creation_date"] = createdAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["index.uuid"] = uuid,
            ["index.provided_name"] = name,
            ["index.version.created"] = "8521000",
        };
        values.TryAdd("index.number_of_shards", "1");
        values.TryAdd("index.number_of_replicas", "1");
        return new IndexSettings(values);
    }

    /// <summary>Flattens {"index":{"a":1}}, {"a":1} and {"index.a":"1"} into "index.a" = "1".</summary>
    public static void Flatten(JsonNode? node, SortedDictionary<string, string> into, string prefix = "")
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        foreach (var (key, value) in obj)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (value is JsonObject)
            {
                Flatten(value, into, path);
            }
            else if (value is not null)
            {
                var normalized = path.StartsWith("index.", StringComparison.Ordinal) ? path : "index." + path;
                into[normalized] = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
            }
        }
    }

    /// <summary>Writes settings nested as ES returns them: {"index":{"number_of_replicas":"1",..}}.</summary>
    public static void WriteNested(Utf8JsonWriter writer, SortedDictionary<string, string> values)
    {
        var root = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            var parts = key.Split('.');
            var node = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!node.TryGetValue(parts[i], out var child) || child is not SortedDictionary<string, object> childNode)
                {
                    childNode = new SortedDictionary<string, object>(StringComparer.Ordinal);
                    node[parts[i]] = childNode;
                }

                node = childNode;
            }

            node[parts[^1]] = value;
        }

        Write(writer, root);

        static void Write(Utf8JsonWriter writer, SortedDictionary<string, object> node)
        {
            writer.WriteStartObject();
            foreach (var (key, value) in node)
            {
                writer.WritePropertyName(key);
                if (value is SortedDictionary<string, object> child)
                {
                    Write(writer, child);
                }
                else if (((string)value).StartsWith('['))
                {
                    // Array settings (analysis filters) are kept as their JSON text.
                    writer.WriteRawValue((string)value);
                }
                else
                {
                    writer.WriteStringValue((string)value);
                }
            }

            writer.WriteEndObject();
        }
    }

    private int ReadInt(string key, int defaultValue)
    {
        if (!Values.TryGetValue(key, out var text))
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new EsException(EsErrors.IllegalArgument($"Failed to parse value [{text}] for setting [{key}]"));
    }
}
