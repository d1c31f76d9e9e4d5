using System.Text.Json.Nodes;

namespace CdcAspire.Kafka.Tests.Infrastructure;

/// <summary>One column of a Debezium row: its Kafka Connect field schema and its JSON-converter value.</summary>
public sealed record Col(string Name, JsonObject Schema, JsonNode? Value)
{
    public static Col Number(string name, int? value) => new(name, Field("int32", name), value);

    public static Col Text(string name, string? value) => new(name, Field("string", name), value);

    public static Col Bool(string name, bool value) => new(name, Field("boolean", name), value);

    /// <summary>decimal.handling.mode=precise: base64 of the big-endian two's-complement unscaled value, scale in parameters.</summary>
    public static Col Precise(string name, string base64, int scale, int precision) => new(
        name,
        Field("bytes", name, "org.apache.kafka.connect.data.Decimal", new JsonObject { ["scale"] = scale.ToString(System.Globalization.CultureInfo.InvariantCulture), ["connect.decimal.precision"] = precision.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        base64);

    public static Col Named(string type, string name, string semantic, JsonNode? value) => new(name, Field(type, name, semantic), value);

    public static Col Json(string name, string? json) => Named("string", name, "io.debezium.data.Json", json);

    public static Col Zoned(string name, string? iso) => Named("string", name, "io.debezium.time.ZonedTimestamp", iso);

    public static Col TextArray(string name, params string[] items)
    {
        var schema = Field("array", name);
        schema["items"] = new JsonObject { ["type"] = "string", ["optional"] = true };
        return new Col(name, schema, new JsonArray([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]));
    }

    public static JsonObject Field(string type, string name, string? semantic = null, JsonObject? parameters = null)
    {
        var field = new JsonObject { ["type"] = type, ["optional"] = true, ["field"] = name };
        if (semantic is not null)
        {
            field["name"] = semantic;
            field["version"] = 1;
        }

        if (parameters is not null)
        {
            field["parameters"] = parameters;
        }

        return field;
    }
}
