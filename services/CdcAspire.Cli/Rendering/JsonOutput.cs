using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CdcAspire.Cli.Rendering;

/// <summary>The <c>--json</c> output: one indented JSON document on stdout, camelCase names, nothing else.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(JsonNode value) => Console.Out.WriteLine(value.ToJsonString(Options));

    /// <summary>A proto timestamp as ISO 8601 UTC, or null when unset.</summary>
    public static JsonNode? Time(Google.Protobuf.WellKnownTypes.Timestamp? timestamp) =>
        timestamp is null ? null : JsonValue.Create(timestamp.ToDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    public static JsonObject Counts(IEnumerable<KeyValuePair<string, long>> counts)
    {
        var o = new JsonObject();
        foreach (var (key, value) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            o[key] = value;
        }

        return o;
    }
}
