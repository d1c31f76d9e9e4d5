using System.Text.Json.Nodes;
using CdcAspire.Kafka.Tests.Infrastructure;
using static CdcAspire.Kafka.Tests.Debezium.DecoderHarness;

namespace CdcAspire.Kafka.Tests.Debezium;

/// <summary>
/// PostgreSQL's special and out-of-range temporal values
/// (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-timestamp-type) and the
/// typed unchanged-TOAST placeholders of Debezium's UnchangedToastedPlaceholder.
/// </summary>
public sealed class SpecialValueDecodingTests
{
    private const string Placeholder = "__debezium_unavailable_value";

    private static CdcAspire.Pipeline.Kafka.Debezium.DecodeResult DecodeOne(Col column) =>
        Decode(DebeziumEvents.Key(1, table: "types"), DebeziumEvents.Change("types", "u", [Col.Number("id", 1), column], 1000, 1100), "cdc.public.types");

    [Theory]
    [InlineData("int64", "io.debezium.time.Timestamp", 9223372036825200000L, "infinity")]
    [InlineData("int64", "io.debezium.time.Timestamp", -9223372036832400000L, "-infinity")]
    [InlineData("int64", "io.debezium.time.MicroTimestamp", 9223372036825200000L, "infinity")]
    [InlineData("int64", "io.debezium.time.MicroTimestamp", -9223372036832400000L, "-infinity")]
    [InlineData("int64", "io.debezium.time.NanoTimestamp", long.MaxValue, "infinity")]
    [InlineData("int64", "io.debezium.time.NanoTimestamp", long.MinValue, "-infinity")]
    [InlineData("int32", "io.debezium.time.Date", -2147472693L, "infinity")] // -5877611-06-21, before dbz#2524
    [InlineData("int32", "io.debezium.time.Date", 2146033979L, "infinity")] // +5877611-06-21
    [InlineData("int32", "io.debezium.time.Date", -2147472692L, "-infinity")] // -5877611-06-22
    public void InfinitySentinelsBecomeTheInfinityStringsOfTheDirectSource(string type, string semantic, long value, string expected) =>
        Assert.Equal($"\"{expected}\"", Change(DebeziumEvents.Key(1, table: "types"), DebeziumEvents.Change("types", "c", [Col.Number("id", 1), Col.Named(type, "t", semantic, value)], 1000, 1100), "cdc.public.types").Json("t"));

    [Theory]
    [InlineData("infinity")]
    [InlineData("-infinity")]
    public void ZonedTimestampInfinityStaysThatString(string value) =>
        Assert.Equal($"\"{value}\"", Change(DebeziumEvents.Key(1, table: "types"), DebeziumEvents.Change("types", "c", [Col.Number("id", 1), Col.Zoned("t", value)], 1000, 1100), "cdc.public.types").Json("t"));

    [Theory]
    [InlineData("int64", "io.debezium.time.MicroTimestamp", 9223372036854775000L)] // overflows ticks
    [InlineData("int64", "io.debezium.time.Timestamp", -9223372036854775000L)]
    [InlineData("int64", "io.debezium.time.MicroTimestamp", 253402300800000000L)] // year 10000
    [InlineData("int32", "io.debezium.time.Date", 2932897L)] // year 10000
    [InlineData("int32", "io.debezium.time.Date", -719163L)] // 1 BC
    [InlineData("int32", "io.debezium.time.Date", int.MinValue)]
    [InlineData("int64", "io.debezium.time.MicroTime", -1L)]
    public void OutOfRangeTemporalValuesAreDeadLettersNeverWrongDatesOrCrashes(string type, string semantic, long value) =>
        Assert.Equal("malformed_temporal", DecodeOne(Col.Named(type, "t", semantic, value)).Error!.ErrorType);

    [Theory]
    [InlineData("ints")]
    [InlineData("dates")]
    [InlineData("uuids")]
    [InlineData("attrs")]
    [InlineData("attrs_json")]
    [InlineData("tags")]
    public void TypedUnchangedToastPlaceholdersBecomeUnchangedNeverValues(string name)
    {
        var change = DecodeOne(TypedPlaceholder(name)).Change!;
        Assert.True(Assert.Single(change.Row!, c => c.Name == name).Unchanged);
    }

    private static Col TypedPlaceholder(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(Placeholder);
        var numbers = new JsonArray([.. bytes.Select(b => (JsonNode?)JsonValue.Create((int)b))]);
        var intArray = Col.Field("array", "ints");
        intArray["items"] = new JsonObject { ["type"] = "int32", ["optional"] = true };
        var dateArray = Col.Field("array", "dates");
        dateArray["items"] = new JsonObject { ["type"] = "int32", ["optional"] = true, ["name"] = "io.debezium.time.Date" };
        var uuidArray = Col.Field("array", "uuids");
        uuidArray["items"] = new JsonObject { ["type"] = "string", ["optional"] = true, ["name"] = "io.debezium.data.Uuid" };
        var hstore = Col.Field("map", "attrs");
        hstore["keys"] = new JsonObject { ["type"] = "string" };
        hstore["values"] = new JsonObject { ["type"] = "string", ["optional"] = true };
        Col[] all =
        [
            new Col("ints", intArray, numbers),
            new Col("dates", dateArray, numbers.DeepClone()),
            // UUID.nameUUIDFromBytes("__debezium_unavailable_value".getBytes()), as Java computes it.
            new Col("uuids", uuidArray, new JsonArray(JsonValue.Create(CdcAspire.Pipeline.Kafka.Debezium.ToastPlaceholder.NameUuid(bytes)))),
            new Col("attrs", hstore, new JsonObject { [Placeholder] = Placeholder }),
            Col.Json("attrs_json", $"{{\"{Placeholder}\":\"{Placeholder}\"}}"),
            Col.TextArray("tags", Placeholder),
        ];
        return Assert.Single(all, c => c.Name == name);
    }

    [Fact]
    public void NameUuidMatchesJava() =>
        // Java: UUID.nameUUIDFromBytes("hello".getBytes()) = 5d41402a-bc4b-3a76-b971-9d911017c592
        Assert.Equal("5d41402a-bc4b-3a76-b971-9d911017c592", CdcAspire.Pipeline.Kafka.Debezium.ToastPlaceholder.NameUuid("hello"u8.ToArray()));

    [Fact]
    public void RealArraysAndMapsAreNotMistakenForPlaceholders()
    {
        var ints = Col.Field("array", "ints");
        ints["items"] = new JsonObject { ["type"] = "int32", ["optional"] = true };
        Assert.Equal("[95,95,100]", Change(DebeziumEvents.Key(1, table: "types"), DebeziumEvents.Change("types", "u", [Col.Number("id", 1), new Col("ints", ints, new JsonArray(95, 95, 100))], 1, 2), "cdc.public.types").Json("ints"));
    }
}
