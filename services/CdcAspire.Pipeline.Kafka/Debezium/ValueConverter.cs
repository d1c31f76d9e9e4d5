using System.Buffers;
using System.Text;
using System.Text.Json;
using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>
/// Turns one Debezium column value (as the Kafka Connect JSON converter wrote it) into the pipeline's UTF-8 JSON,
/// guided by the field's Connect schema when the converter had <c>schemas.enable=true</c>. Without a schema the
/// value is passed on as Debezium rendered it (see README: what holds without schemas).
/// Type reference: https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-data-types
/// </summary>
internal sealed class ValueConverter
{
    private readonly ToastPlaceholder placeholder;

    public ValueConverter(string unavailableValuePlaceholder) => placeholder = new ToastPlaceholder(unavailableValuePlaceholder);

    public ColumnValue Convert(string name, JsonElement value, ConnectSchema? schema)
    {
        if (placeholder.Matches(value))
        {
            return ColumnValue.UnchangedToast(name);
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return ColumnValue.Null(name);
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value, schema);
        }

        return new ColumnValue(name, buffer.WrittenMemory.ToArray());
    }

    /// <summary>A key value as text: strings unquoted, everything else as its JSON literal.</summary>
    public string ConvertKeyText(string name, JsonElement value, ConnectSchema? schema)
    {
        var column = Convert(name, value, schema);
        if (column.Unchanged)
        {
            throw new DecodeException("malformed_key", $"Key column '{name}' carries the unavailable-value placeholder.");
        }

        var reader = new Utf8JsonReader(column.Json.Span);
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Null => throw new DecodeException("malformed_key", $"Key column '{name}' is null."),
            _ => Encoding.UTF8.GetString(column.Json.Span),
        };
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value, ConnectSchema? schema)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            writer.WriteNullValue();
            return;
        }

        if (schema is not { } s)
        {
            value.WriteTo(writer);
            return;
        }

        switch (s.Name)
        {
            case "org.apache.kafka.connect.data.Decimal":
                writer.WriteRawValue(DecimalText.FromUnscaled(RequireString(value, s), RequireScale(s)));
                return;
            case "io.debezium.data.VariableScaleDecimal":
                WriteVariableScaleDecimal(writer, value);
                return;
            case "io.debezium.data.Json":
                WriteEmbeddedJson(writer, value);
                return;
            case "io.debezium.time.Date" or "org.apache.kafka.connect.data.Date":
                writer.WriteStringValue(TemporalText.Date(RequireInt64(value, s)));
                return;
            case "io.debezium.time.Timestamp" or "org.apache.kafka.connect.data.Timestamp":
                writer.WriteStringValue(TemporalText.LocalTimestamp(RequireInt64(value, s), 1_000));
                return;
            case "io.debezium.time.MicroTimestamp":
                writer.WriteStringValue(TemporalText.LocalTimestamp(RequireInt64(value, s), 1_000_000));
                return;
            case "io.debezium.time.NanoTimestamp":
                writer.WriteStringValue(TemporalText.LocalTimestamp(RequireInt64(value, s), 1_000_000_000));
                return;
            case "io.debezium.time.ZonedTimestamp":
                writer.WriteStringValue(TemporalText.ZonedTimestamp(RequireString(value, s)));
                return;
            case "io.debezium.time.Time" or "org.apache.kafka.connect.data.Time":
                writer.WriteStringValue(TemporalText.TimeOfDay(RequireInt64(value, s), 1_000));
                return;
            case "io.debezium.time.MicroTime":
                writer.WriteStringValue(TemporalText.TimeOfDay(RequireInt64(value, s), 1_000_000));
                return;
            case "io.debezium.time.NanoTime":
                writer.WriteStringValue(TemporalText.TimeOfDay(RequireInt64(value, s), 1_000_000_000));
                return;
            default:
                break;
        }

        switch (s.Type)
        {
            case "array" when value.ValueKind == JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item, s.Items);
                }

                writer.WriteEndArray();
                return;
            case "struct" when value.ValueKind == JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, s.FieldSchema(property.Name));
                }

                writer.WriteEndObject();
                return;
            case "map" when value.ValueKind == JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, s.Values);
                }

                writer.WriteEndObject();
                return;
            case "string" when IsPropagatedNumeric(s) && DecimalText.IsJsonNumber(value.GetString()!):
                // decimal.handling.mode=string gives a plain string schema; only the propagated source type
                // (datatype.propagate.source.type) tells it is a number. NaN/Infinity stay strings.
                writer.WriteRawValue(value.GetString()!);
                return;
            default:
                // int*, float*, boolean, string, bytes (already base64 in JSON), Uuid, Enum, Xml, intervals: as sent.
                value.WriteTo(writer);
                return;
        }
    }

    private static bool IsPropagatedNumeric(ConnectSchema schema) =>
        schema.Parameter("__debezium.source.column.type") is { } type &&
        (type.Equals("NUMERIC", StringComparison.OrdinalIgnoreCase) || type.Equals("DECIMAL", StringComparison.OrdinalIgnoreCase));

    private static void WriteVariableScaleDecimal(Utf8JsonWriter writer, JsonElement value)
    {
        // NUMERIC without precision in precise mode: a struct {scale: int32, value: bytes}.
        if (value.ValueKind != JsonValueKind.Object ||
            !value.TryGetProperty("scale", out var scale) || !scale.TryGetInt32(out var scaleValue) ||
            !value.TryGetProperty("value", out var unscaled) || unscaled.ValueKind != JsonValueKind.String)
        {
            throw new DecodeException("malformed_decimal", $"VariableScaleDecimal {value.GetRawText()} is not {{scale, value}}.");
        }

        writer.WriteRawValue(DecimalText.FromUnscaled(unscaled.GetString()!, scaleValue));
    }

    private static void WriteEmbeddedJson(Utf8JsonWriter writer, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            value.WriteTo(writer);
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(value.GetString()!);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException ex)
        {
            throw new DecodeException("malformed_json_column", $"io.debezium.data.Json value is not JSON: {ex.Message}", ex);
        }
    }

    private static int RequireScale(ConnectSchema schema) =>
        int.TryParse(schema.Parameter("scale"), System.Globalization.CultureInfo.InvariantCulture, out var scale)
            ? scale
            : throw new DecodeException("malformed_schema", $"Decimal field '{schema.Field}' has no integer 'scale' parameter.");

    private static string RequireString(JsonElement value, ConnectSchema schema) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new DecodeException("malformed_value", $"Field '{schema.Field}' ({schema.Name}) should be a string, got {value.ValueKind}.");

    private static long RequireInt64(JsonElement value, ConnectSchema schema) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new DecodeException("malformed_value", $"Field '{schema.Field}' ({schema.Name}) should be an integer, got {value.GetRawText()}.");
}
