using System.Text.Json;
using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>
/// Decodes Debezium PostgreSQL change events written by Kafka Connect's JSON converter: the full envelope
/// (<c>before/after/source/op</c>) with or without <c>{schema, payload}</c> wrapping, and the flattened form of
/// <c>io.debezium.transforms.ExtractNewRecordState</c>. Format reference:
/// https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-events and
/// https://debezium.io/documentation/reference/stable/transformations/event-flattening.html
/// </summary>
internal sealed partial class DebeziumDecoder
{
    private readonly DebeziumDecoderSettings settings;
    private readonly ValueConverter values;

    public DebeziumDecoder(DebeziumDecoderSettings settings)
    {
        this.settings = settings;
        values = new ValueConverter(settings.UnavailableValuePlaceholder);
    }

    /// <param name="topic">The record's topic.</param>
    /// <param name="key">The record key.</param>
    /// <param name="value">The record value; null for a tombstone.</param>
    /// <param name="recordTimestampMs">The Kafka record timestamp: the only time a flattened tombstone carries.</param>
    public DecodeResult Decode(string topic, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, long? recordTimestampMs = null)
    {
        if (ClassifyTopic(topic) is { } topicSkip)
        {
            return DecodeResult.Skipped(topicSkip);
        }

        string? table = null;
        try
        {
            if (value is not { Length: > 0 } body)
            {
                // Envelope: tombstones.on.delete adds a null value after each delete, for log compaction only.
                // Flattened: the transform's default delete.tombstone.handling.mode=tombstone sends the delete as it.
                return settings.Form == EventForm.Flattened && key is { Length: > 0 } tombstoneKey
                    ? FlattenedTombstone(topic, tombstoneKey, recordTimestampMs, out table)
                    : DecodeResult.Skipped(SkipReason.Tombstone);
            }

            using var valueDocument = Parse(body, "value");
            var payload = Unwrap(valueDocument.RootElement, out var valueSchema);
            if (payload.ValueKind == JsonValueKind.Null)
            {
                return DecodeResult.Skipped(SkipReason.Tombstone);
            }

            if (payload.ValueKind != JsonValueKind.Object)
            {
                throw new DecodeException($"The value is a JSON {payload.ValueKind}, not a Debezium event object.");
            }

            if (ClassifySchema(valueSchema) is { } skip)
            {
                return DecodeResult.Skipped(skip);
            }

            using var keyDocument = key is { Length: > 0 } k ? Parse(k, "key") : null;
            var envelope = settings.Form == EventForm.Envelope &&
                           payload.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.String &&
                           (payload.TryGetProperty("source", out _) || payload.TryGetProperty("after", out _));
            var change = envelope
                ? DecodeEnvelope(topic, keyDocument, payload, valueSchema, out table)
                : DecodeFlattened(topic, keyDocument, payload, valueSchema, out table);
            return change is null ? DecodeResult.Skipped(SkipReason.LogicalMessage)
                : settings.IgnoredTables.Contains(change.Table) ? DecodeResult.Skipped(SkipReason.Heartbeat)
                : DecodeResult.Of(change);
        }
        catch (DecodeException ex)
        {
            return DecodeResult.Failed(ex, table);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // A value this decoder did not anticipate (an overflow, an argument out of range deep in a conversion)
            // is still a property of this one message: failing the run would re-read it forever.
            return DecodeResult.Failed(
                new DecodeException("malformed_value", $"Decoding failed unexpectedly ({ex.GetType().Name}: {ex.Message}).", ex),
                table);
        }
    }

    /// <summary>
    /// Debezium's non-change topics, by name
    /// (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-topic-names):
    /// heartbeats on <c>topic.heartbeat.prefix</c>, transaction boundaries on <c>&lt;prefix&gt;.transaction</c>,
    /// schema changes on the topic named by the prefix itself. Never by a row's field names, which are user columns.
    /// </summary>
    private SkipReason? ClassifyTopic(string topic)
    {
        if (topic.StartsWith(settings.HeartbeatTopicPrefix, StringComparison.Ordinal))
        {
            return SkipReason.Heartbeat;
        }

        if (settings.TopicPrefix is not { Length: > 0 } prefix)
        {
            return null;
        }

        return string.Equals(topic, prefix, StringComparison.Ordinal) ? SkipReason.SchemaChange
            : string.Equals(topic, prefix + ".transaction", StringComparison.Ordinal) ? SkipReason.TransactionMetadata
            : null;
    }

    /// <summary>With <c>schemas.enable=true</c> the value schema names the record kind, whatever the topic is called.</summary>
    private static SkipReason? ClassifySchema(ConnectSchema? schema) => schema?.Name switch
    {
        "io.debezium.connector.common.Heartbeat" => SkipReason.Heartbeat,
        "io.debezium.connector.common.TransactionMetadataValue" => SkipReason.TransactionMetadata,
        { } name when name.EndsWith(".SchemaChangeValue", StringComparison.Ordinal) => SkipReason.SchemaChange,
        _ => null,
    };

    private static JsonDocument Parse(ReadOnlyMemory<byte> bytes, string what)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new DecodeException("malformed_json", $"The record {what} is not JSON ({ex.Message}); expected Kafka Connect's JsonConverter output.", ex);
        }
    }

    /// <summary>JsonConverter with <c>schemas.enable=true</c> wraps each key and value as <c>{schema, payload}</c>.</summary>
    private static JsonElement Unwrap(JsonElement root, out ConnectSchema? schema)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payload", out var payload) &&
            root.TryGetProperty("schema", out var schemaNode))
        {
            using var properties = root.EnumerateObject();
            if (properties.Count() == 2)
            {
                schema = schemaNode.ValueKind == JsonValueKind.Object ? new ConnectSchema(schemaNode) : null;
                return payload;
            }
        }

        schema = null;
        return root;
    }

    private TableId ResolveTable(string? schemaName, string? tableName, string topic)
    {
        var table = tableName is { Length: > 0 }
            ? new TableId(schemaName is { Length: > 0 } ? schemaName : "public", tableName)
            : TableFromTopic(topic);
        if (settings.Tables.Count > 0 && !settings.Tables.Contains(table) && !settings.IgnoredTables.Contains(table))
        {
            throw new DecodeException("unknown_table", $"Table {table} is not in Cdc:Kafka:Tables; add it there (and to the index mapping) or drop it from the connector's table.include.list.");
        }

        return table;
    }

    /// <summary>Debezium names topics <c>prefix.schema.table</c>; a RegexRouter may have shortened that to <c>table</c>.</summary>
    private static TableId TableFromTopic(string topic)
    {
        var parts = topic.Split('.');
        return parts.Length switch
        {
            1 => new TableId("public", parts[0]),
            2 => new TableId(parts[0], parts[1]),
            _ => new TableId(parts[^2], parts[^1]),
        };
    }

    private List<string> DecodeKey(JsonDocument? keyDocument, ChangeKind kind)
    {
        if (kind == ChangeKind.Truncate)
        {
            return [];
        }


        if (keyDocument is null)
        {
            throw new DecodeException("missing_key", "The record has no key; Debezium keys each change by the table's primary key (or message.key.columns). Tables without a key cannot be indexed by id.");
        }

        var key = Unwrap(keyDocument.RootElement, out var keySchema);
        if (key.ValueKind != JsonValueKind.Object)
        {
            // A key reduced to one field by ExtractField$Key.
            return [values.ConvertKeyText("key", key, keySchema)];
        }

        var result = new List<string>();
        foreach (var property in key.EnumerateObject())
        {
            result.Add(values.ConvertKeyText(property.Name, property.Value, keySchema?.FieldSchema(property.Name)));
        }

        return result.Count > 0
            ? result
            : throw new DecodeException("missing_key", "The record key has no fields.");
    }

    private List<ColumnValue> DecodeRow(JsonElement row, ConnectSchema? rowSchema, Func<string, bool>? include = null)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw new DecodeException($"The row image is a JSON {row.ValueKind}, not an object.");
        }

        var columns = new List<ColumnValue>();
        foreach (var property in row.EnumerateObject())
        {
            if (include is null || include(property.Name))
            {
                columns.Add(values.Convert(property.Name, property.Value, rowSchema?.FieldSchema(property.Name)));
            }
        }

        return columns;
    }

    private static DateTimeOffset? CommitTime(long? tsMs) =>
        tsMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
