using System.Text.Json;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>
/// A view over one Kafka Connect JSON-converter schema node (<c>{"type":"int32","optional":false,"field":"id",
/// "name":"...","parameters":{...}}</c>), as written when <c>schemas.enable=true</c>. The semantic <c>name</c> is
/// what tells a Debezium <c>io.debezium.time.MicroTimestamp</c> from a plain <c>int64</c>.
/// See https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-data-types
/// </summary>
internal readonly struct ConnectSchema
{
    private readonly JsonElement node;

    public ConnectSchema(JsonElement node) => this.node = node;

    public string? Type => GetString("type");

    /// <summary>The semantic type name, e.g. <c>io.debezium.time.Date</c>; null for plain types.</summary>
    public string? Name => GetString("name");

    /// <summary>The field name when this schema describes a struct field.</summary>
    public string? Field => GetString("field");

    /// <summary>The items schema of an array.</summary>
    public ConnectSchema? Items =>
        node.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object ? new ConnectSchema(items) : null;

    /// <summary>The value schema of a map.</summary>
    public ConnectSchema? Values =>
        node.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object ? new ConnectSchema(values) : null;

    public string? Parameter(string key) =>
        node.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object &&
        parameters.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The fields of a struct schema, in declaration order (for a table: column order).</summary>
    public IEnumerable<ConnectSchema> Fields()
    {
        if (!node.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var field in fields.EnumerateArray())
        {
            yield return new ConnectSchema(field);
        }
    }

    /// <summary>The schema of the struct field named <paramref name="name"/>, if declared.</summary>
    public ConnectSchema? FieldSchema(string name)
    {
        foreach (var field in Fields())
        {
            if (string.Equals(field.Field, name, StringComparison.Ordinal))
            {
                return field;
            }
        }

        return null;
    }

    private string? GetString(string property) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty(property, out var value) &&
        value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
