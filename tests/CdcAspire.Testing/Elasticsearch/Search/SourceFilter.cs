using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// _source: true/false, a field pattern or a list of patterns, or {"includes":[..],"excludes":[..]}.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/search-fields.html#source-filtering
/// </summary>
internal sealed class SourceFilter
{
    public static readonly SourceFilter All = new(true, [], []);

    private SourceFilter(bool enabled, string[] includes, string[] excludes)
    {
        Enabled = enabled;
        Includes = includes;
        Excludes = excludes;
    }

    public bool Enabled { get; }

    public string[] Includes { get; }

    public string[] Excludes { get; }

    public static SourceFilter Parse(JsonElement? value)
    {
        if (value is not { } v)
        {
            return All;
        }

        return v.ValueKind switch
        {
            JsonValueKind.False => new SourceFilter(false, [], []),
            JsonValueKind.True => All,
            JsonValueKind.String => new SourceFilter(true, [v.GetString()!], []),
            JsonValueKind.Array => new SourceFilter(true, [.. v.EnumerateArray().Select(e => e.GetString()!)], []),
            JsonValueKind.Object => new SourceFilter(true, Strings(v, "includes", "include"), Strings(v, "excludes", "exclude")),
            _ => All,
        };
    }

    public static SourceFilter FromQuery(string? source, string? includes, string? excludes)
    {
        if (source is "false")
        {
            return new SourceFilter(false, [], []);
        }

        var include = includes ?? (source is null or "true" or "" ? null : source);
        return new SourceFilter(true, include?.Split(',') ?? [], excludes?.Split(',') ?? []);
    }

    public void Write(Utf8JsonWriter writer, DocEntry entry)
    {
        if (Includes.Length == 0 && Excludes.Length == 0)
        {
            writer.WriteRawValue(entry.Source, skipInputValidation: true);
            return;
        }

        using var document = JsonDocument.Parse(entry.Source);
        WriteObject(writer, document.RootElement, "");
    }

    private void WriteObject(Utf8JsonWriter writer, JsonElement obj, string prefix)
    {
        writer.WriteStartObject();
        foreach (var property in obj.EnumerateObject())
        {
            var path = prefix + property.Name;
            if (Excludes.Any(p => Covers(p, path)))
            {
                continue;
            }

            if (Includes.Length == 0 || Includes.Any(p => Covers(p, path)))
            {
                property.WriteTo(writer);
            }
            else if (property.Value.ValueKind == JsonValueKind.Object && Includes.Any(p => p.StartsWith(path + ".", StringComparison.Ordinal) || p.StartsWith('*')))
            {
                writer.WritePropertyName(property.Name);
                WriteObject(writer, property.Value, path + ".");
            }
        }

        writer.WriteEndObject();
    }

    // A pattern covers a path when it matches it or one of its parent objects.
    private static bool Covers(string pattern, string path)
    {
        if (IndexPattern.Matches(pattern, path))
        {
            return true;
        }

        for (var dot = path.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = path.IndexOf('.', dot + 1))
        {
            if (IndexPattern.Matches(pattern, path[..dot]))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] Strings(JsonElement obj, string name, string alternative)
    {
        if (!obj.TryGetProperty(name, out var value) && !obj.TryGetProperty(alternative, out value))
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(e => e.GetString()!)] : [value.GetString()!];
    }
}
