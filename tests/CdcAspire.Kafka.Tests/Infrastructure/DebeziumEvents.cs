using System.Text.Json.Nodes;

namespace CdcAspire.Kafka.Tests.Infrastructure;

/// <summary>
/// Builds Debezium PostgreSQL change events as Kafka Connect's JsonConverter writes them, following the documented
/// format (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-events:
/// key = the primary key struct; value = envelope {before, after, source, op, ts_ms, transaction}, each wrapped as
/// {schema, payload} when schemas.enable=true). source.sequence is the stringified ["lastCommitLsn","lsn"] array.
/// </summary>
public static class DebeziumEvents
{
    public const string Prefix = "cdc";

    public static string Key(int id, bool schemas = true, string table = "users")
    {
        var payload = new JsonObject { ["id"] = id };
        return Wrap(schemas, Struct($"{Prefix}.public.{table}.Key", [Col.Field("int32", "id")], optional: false), payload);
    }

    public static string Change(
        string table,
        string op,
        IReadOnlyList<Col>? after,
        ulong? lastCommitLsn,
        ulong lsn,
        bool schemas = true,
        long? totalOrder = null,
        long tsMs = 1_700_000_000_000,
        IReadOnlyList<Col>? before = null)
    {
        var rowSchema = Struct($"{Prefix}.public.{table}.Value", (after ?? before ?? []).Select(c => (JsonObject)c.Schema.DeepClone()).ToList(), optional: true);
        var source = new JsonObject
        {
            ["version"] = "3.5.2.Final",
            ["connector"] = "postgresql",
            ["name"] = Prefix,
            ["ts_ms"] = tsMs,
            ["snapshot"] = op == "r" ? "true" : "false",
            ["db"] = "app_database",
            ["sequence"] = $"[{Lsn(lastCommitLsn)},{Lsn(lsn)}]",
            ["schema"] = "public",
            ["table"] = table,
            ["txId"] = 750,
            ["lsn"] = lsn,
            ["xmin"] = null,
        };
        var payload = new JsonObject
        {
            ["before"] = Row(before),
            ["after"] = Row(after),
            ["source"] = source,
            ["op"] = op,
            ["ts_ms"] = tsMs + 5,
            ["transaction"] = totalOrder is { } order
                ? new JsonObject { ["id"] = $"750:{lsn}", ["total_order"] = order, ["data_collection_order"] = order }
                : null,
        };

        var beforeSchema = (JsonObject)rowSchema.DeepClone();
        beforeSchema["field"] = "before";
        var afterSchema = (JsonObject)rowSchema.DeepClone();
        afterSchema["field"] = "after";
        var sourceSchema = Struct("io.debezium.connector.postgresql.Source", [Col.Field("string", "sequence"), Col.Field("int64", "lsn")], optional: false);
        sourceSchema["field"] = "source";
        var envelope = Struct($"{Prefix}.public.{table}.Envelope", [beforeSchema, afterSchema, sourceSchema, Col.Field("string", "op"), Col.Field("int64", "ts_ms")], optional: false);
        return Wrap(schemas, envelope, payload);
    }

    /// <summary>ExtractNewRecordState output: the row plus add.fields metadata (<c>__op</c>, <c>__source_ts_ms</c>, ...).</summary>
    public static string Flattened(IReadOnlyList<Col> row, IDictionary<string, JsonNode?> metadata)
    {
        var payload = Row(row)!;
        foreach (var (name, value) in metadata)
        {
            payload[name] = value?.DeepClone();
        }

        return payload.ToJsonString();
    }

    private static string Lsn(ulong? lsn) => lsn is { } v ? $"\"{v}\"" : "null";

    private static JsonObject? Row(IReadOnlyList<Col>? columns)
    {
        if (columns is null)
        {
            return null;
        }

        var row = new JsonObject();
        foreach (var column in columns)
        {
            row[column.Name] = column.Value?.DeepClone();
        }

        return row;
    }

    private static JsonObject Struct(string name, List<JsonObject> fields, bool optional) => new()
    {
        ["type"] = "struct",
        ["fields"] = new JsonArray([.. fields]),
        ["optional"] = optional,
        ["name"] = name,
    };

    private static string Wrap(bool schemas, JsonObject schema, JsonObject payload) =>
        schemas ? new JsonObject { ["schema"] = schema, ["payload"] = payload }.ToJsonString() : payload.ToJsonString();
}
