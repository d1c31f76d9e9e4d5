using CdcAspire.Kafka.Tests.Infrastructure;
using CdcAspire.Pipeline.Kafka.Debezium;
using static CdcAspire.Kafka.Tests.Debezium.DecoderHarness;

namespace CdcAspire.Kafka.Tests.Debezium;

public sealed class SkipAndDeadLetterDecodingTests
{
    [Fact]
    public void HeartbeatTopicIsSkipped() =>
        Assert.Equal(SkipReason.Heartbeat, Decode("{\"serverName\":\"cdc\"}", "{\"ts_ms\":1700000000000}", "__debezium-heartbeat.cdc").Skip);

    [Fact]
    public void HeartbeatSchemaOnAnyTopicIsSkipped() =>
        Assert.Equal(SkipReason.Heartbeat, Decode(null, "{\"schema\":{\"type\":\"struct\",\"name\":\"io.debezium.connector.common.Heartbeat\",\"fields\":[{\"type\":\"int64\",\"field\":\"ts_ms\"}]},\"payload\":{\"ts_ms\":1}}", "cdc.heartbeats").Skip);

    [Fact]
    public void RowsAreNotClassifiedByTheirColumnNames()
    {
        // A table with columns named status/id, ddl or only ts_ms is data, not a transaction record, DDL or heartbeat.
        var row = new[] { Col.Number("id", 1), Col.Text("status", "BEGIN"), Col.Text("ddl", "x") };
        var change = Change(DebeziumEvents.Key(1, table: "orders"), DebeziumEvents.Change("orders", "c", row, 10, 11), "cdc.public.orders");
        Assert.Equal("\"BEGIN\"", change.Json("status"));
        Assert.Equal("\"x\"", change.Json("ddl"));
    }

    [Fact]
    public void UnexpectedExceptionWhileDecodingBecomesADeadLetterNotARunFailure()
    {
        // A scale of int.MinValue makes the decimal formatter throw ArgumentOutOfRangeException, not a DecodeException.
        var amount = Col.Named("struct", "amount", "io.debezium.data.VariableScaleDecimal", new System.Text.Json.Nodes.JsonObject { ["scale"] = int.MinValue, ["value"] = "MDk=" });
        var result = Decode(DebeziumEvents.Key(1, table: "types"), DebeziumEvents.Change("types", "c", [Col.Number("id", 1), amount], 1, 2), "cdc.public.types");
        Assert.Equal("malformed_value", result.Error!.ErrorType);
        Assert.Contains("unexpectedly", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal("public.types", result.Table);
    }

    [Fact]
    public void SchemaChangeEventIsSkipped() =>
        Assert.Equal(SkipReason.SchemaChange, Decode("{\"databaseName\":\"app\"}", "{\"source\":{},\"databaseName\":\"app\",\"ddl\":\"ALTER TABLE users ADD COLUMN x int\",\"tableChanges\":[]}", "cdc").Skip);

    [Fact]
    public void TransactionBoundaryIsSkipped() =>
        Assert.Equal(SkipReason.TransactionMetadata, Decode("{\"id\":\"571:123\"}", "{\"status\":\"END\",\"id\":\"571:123\",\"event_count\":2,\"data_collections\":[]}", "cdc.transaction").Skip);

    [Theory]
    [InlineData("{not json", "malformed_json")]
    [InlineData("[1,2]", "malformed_message")]
    public void GarbageBecomesADeadLetterReason(string value, string errorType) =>
        Assert.Equal(errorType, Decode(DebeziumEvents.Key(1), value).Error!.ErrorType);

    [Fact]
    public void UnknownTableBecomesADeadLetterNamingTheTable()
    {
        var result = Decode(DebeziumEvents.Key(1, table: "audit"), DebeziumEvents.Change("audit", "c", [Col.Number("id", 1)], 1, 2), "cdc.public.audit");
        Assert.Equal("unknown_table", result.Error!.ErrorType);
        Assert.Equal("public.audit", result.Table);
        Assert.Contains("Cdc:Kafka:Tables", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOperationAndMissingKeyAreDeadLetters()
    {
        Assert.Equal("unknown_operation", Decode(DebeziumEvents.Key(1), DebeziumEvents.Change("users", "x", [Col.Number("id", 1)], 1, 2)).Error!.ErrorType);
        Assert.Equal("missing_key", Decode(null, DebeziumEvents.Change("users", "c", [Col.Number("id", 1)], 1, 2)).Error!.ErrorType);
    }

    [Fact]
    public void HeartbeatTableChangesAreSkippedNotDeadLettered()
    {
        var value = DebeziumEvents.Change("heartbeat", "u", [Col.Number("id", 1), Col.Zoned("beat_at", "2024-01-01T00:00:00Z")], 1, 2).Replace("\"schema\":\"public\"", "\"schema\":\"cdc\"", StringComparison.Ordinal);
        Assert.Equal(SkipReason.Heartbeat, Decode(DebeziumEvents.Key(1, table: "heartbeat"), value, "cdc.cdc.heartbeat").Skip);
    }
}
