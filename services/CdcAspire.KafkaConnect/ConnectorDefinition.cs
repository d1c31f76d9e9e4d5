using System.Text.Json;

namespace CdcAspire.KafkaConnect;

/// <summary>
/// A connector as Kafka Connect's REST API takes it: a name and a flat string-to-string config (the format of
/// <c>connectors/*.json</c>: <c>{"name": "...", "config": {...}}</c>).
/// </summary>
public sealed record ConnectorDefinition(string Name, IReadOnlyDictionary<string, string> Config)
{
    public string ConnectorClass =>
        Config.TryGetValue("connector.class", out var value) ? value : throw new InvalidOperationException($"Connector '{Name}' has no connector.class.");

    /// <summary>Reads <c>{"name", "config"}</c> JSON; numbers and booleans become strings, as Connect stores them.</summary>
    public static ConnectorDefinition Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
            ? n.GetString()!
            : throw new FormatException("The connector definition has no \"name\".");
        if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Connector '{name}' has no \"config\" object.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in config.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => throw new FormatException($"Connector '{name}': config value '{property.Name}' must be a string, number or boolean."),
            };
        }

        return new ConnectorDefinition(name, values);
    }

    public static async Task<ConnectorDefinition> LoadAsync(string path, CancellationToken cancellationToken) =>
        Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
}
