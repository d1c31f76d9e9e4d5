using System.Text.Json.Nodes;
using CdcAspire.Kafka.Tests.Infrastructure;
using static CdcAspire.Kafka.Tests.Debezium.DecoderHarness;

namespace CdcAspire.Kafka.Tests.Debezium;

/// <summary>Encodings from https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-data-types.</summary>
public sealed class ValueDecodingTests
{
    private static string One(Col column, string table = "types") =>
        Change(DebeziumEvents.Key(1, table: table), DebeziumEvents.Change(table, "c", [Col.Number("id", 1), column], 1000, 1100), $"cdc.public.{table}")
            .Json(column.Name);

    [Theory]
    [InlineData("Th8=", 2, "199.99")] // 19999 = 0x4E1F
    [InlineData("/2o=", 2, "-1.50")] // -150 = 0xFF6A, two's complement
    [InlineData("AA==", 2, "0.00")]
    [InlineData("AMkP", 4, "5.1471")] // 51471 = 0x00C90F, sign byte kept positive
    [InlineData("BNI=", -2, "123400")] // 1234 = 0x04D2, negative scale
    public void PreciseDecimalsBecomeExactJsonNumbers(string base64, int scale, string expected) =>
        Assert.Equal(expected, One(Col.Precise("price", base64, scale, 10), "products"));

    [Fact]
    public void VariableScaleDecimalUsesItsOwnScale() =>
        Assert.Equal("12.345", One(Col.Named("struct", "amount", "io.debezium.data.VariableScaleDecimal", new JsonObject { ["scale"] = 3, ["value"] = "MDk=" })));

    [Fact]
    public void DoubleModeDecimalsStayTheNumberDebeziumWrote() =>
        Assert.Equal("199.99", One(new Col("price", Col.Field("double", "price"), 199.99), "products"));

    [Fact]
    public void StringModeDecimalsBecomeNumbersWhenTheSourceTypeIsPropagated()
    {
        var schema = Col.Field("string", "price", parameters: new JsonObject { ["__debezium.source.column.type"] = "NUMERIC", ["__debezium.source.column.length"] = "10" });
        Assert.Equal("199.99", One(new Col("price", schema, "199.99"), "products"));
        Assert.Equal("\"NaN\"", One(new Col("price", schema, "NaN"), "products"));
        Assert.Equal("\"199.99\"", One(Col.Text("price", "199.99"), "products"));
    }

    [Theory]
    [InlineData("int32", "io.debezium.time.Date", 19723L, "2024-01-01")]
    [InlineData("int32", "org.apache.kafka.connect.data.Date", 19723L, "2024-01-01")]
    [InlineData("int64", "io.debezium.time.Timestamp", 1704067200123L, "2024-01-01T00:00:00.123")]
    [InlineData("int64", "org.apache.kafka.connect.data.Timestamp", 1704067200000L, "2024-01-01T00:00:00")]
    [InlineData("int64", "io.debezium.time.MicroTimestamp", 1704067200123456L, "2024-01-01T00:00:00.123456")]
    [InlineData("int64", "io.debezium.time.NanoTimestamp", 1704067200123456700L, "2024-01-01T00:00:00.1234567")]
    [InlineData("int64", "io.debezium.time.MicroTimestamp", -1000000L, "1969-12-31T23:59:59")]
    [InlineData("int32", "io.debezium.time.Time", 3723004L, "01:02:03.004")]
    [InlineData("int64", "io.debezium.time.MicroTime", 3723000001L, "01:02:03.000001")]
    [InlineData("int64", "io.debezium.time.NanoTime", 3723000001000L, "01:02:03.000001")]
    [InlineData("int32", "org.apache.kafka.connect.data.Time", 0L, "00:00:00")]
    public void TemporalTypesBecomeIsoText(string type, string semantic, long value, string expected) =>
        Assert.Equal($"\"{expected}\"", One(Col.Named(type, "t", semantic, value)));

    [Theory]
    [InlineData("2024-01-01T10:00:00.5+02:00", "2024-01-01T08:00:00.5Z")]
    [InlineData("2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z")]
    [InlineData("2024-06-30T23:59:59.999999Z", "2024-06-30T23:59:59.999999Z")]
    public void TimestampsWithTimeZoneBecomeUtcWithZ(string zoned, string expected) =>
        Assert.Equal($"\"{expected}\"", One(Col.Zoned("created_at", zoned)));

    [Fact]
    public void JsonColumnsAreEmbeddedAsObjectsAndArrays()
    {
        Assert.Equal("{\"color\":\"red\",\"size\":[1,2]}", One(Col.Json("metadata", "{\"color\": \"red\", \"size\": [1, 2]}"), "products"));
        Assert.Equal("[{\"sku\":\"A1\",\"qty\":2}]", One(Col.Json("items", "[{\"sku\":\"A1\",\"qty\":2}]"), "orders"));
    }

    [Fact]
    public void ArraysKeepTheirElements() =>
        Assert.Equal("[\"audio\",\"wireless\",null]", One(Col.TextArray("tags", "audio", "wireless", null!), "products"));

    [Fact]
    public void BytesStayBase64AndBooleansStayBooleans()
    {
        Assert.Equal("\"AQID\"", One(new Col("raw", Col.Field("bytes", "raw"), "AQID")));
        Assert.Equal("true", One(Col.Bool("is_active", true), "products"));
    }

    [Fact]
    public void MalformedJsonColumnIsAReasonNotACrash()
    {
        var result = Decode(DebeziumEvents.Key(1, table: "products"), DebeziumEvents.Change("products", "c", [Col.Number("id", 1), Col.Json("metadata", "{not json")], 1, 2), "cdc.public.products");
        Assert.Equal("malformed_json_column", result.Error!.ErrorType);
        Assert.Equal("public.products", result.Table);
    }
}
