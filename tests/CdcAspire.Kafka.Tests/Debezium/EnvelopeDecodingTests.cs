using CdcAspire.Kafka.Tests.Infrastructure;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Kafka.Debezium;
using static CdcAspire.Kafka.Tests.Debezium.DecoderHarness;

namespace CdcAspire.Kafka.Tests.Debezium;

public sealed class EnvelopeDecodingTests
{
    private static readonly Col[] User =
    [
        Col.Number("id", 1), Col.Text("username", "john_doe"), Col.Text("email", "john@example.com"),
        Col.Text("full_name", null), Col.Zoned("created_at", "2024-01-01T10:00:00.123456Z"),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CreateEventBecomesInsertWithColumnsInRowOrder(bool schemas)
    {
        var change = Change(DebeziumEvents.Key(1, schemas), DebeziumEvents.Change("users", "c", User, 1000, 1100, schemas));

        Assert.Equal(new TableId("public", "users"), change.Table);
        Assert.Equal(ChangeKind.Insert, change.Kind);
        Assert.Equal(["1"], change.Key);
        Assert.Equal(["id", "username", "email", "full_name", "created_at"], change.Row!.Select(c => c.Name));
        Assert.Equal("\"john_doe\"", change.Json("username"));
        Assert.Equal("null", change.Json("full_name"));
        Assert.Equal("\"2024-01-01T10:00:00.123456Z\"", change.Json("created_at"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), change.CommitTime);
    }

    [Theory]
    [InlineData("u", ChangeKind.Update)]
    [InlineData("r", ChangeKind.Snapshot)]
    public void UpdateAndSnapshotCarryTheAfterRow(string op, ChangeKind kind)
    {
        var change = Change(DebeziumEvents.Key(1), DebeziumEvents.Change("users", op, User, 1000, 1100));
        Assert.Equal(kind, change.Kind);
        Assert.Equal("\"john@example.com\"", change.Json("email"));
    }

    [Fact]
    public void DeleteCarriesOnlyTheKey()
    {
        var change = Change(DebeziumEvents.Key(7), DebeziumEvents.Change("users", "d", null, 1000, 1100, before: [Col.Number("id", 7)]));
        Assert.Equal(ChangeKind.Delete, change.Kind);
        Assert.Equal(["7"], change.Key);
        Assert.Null(change.Row);
    }

    [Fact]
    public void TruncateHasNoKeyAndNoRow()
    {
        // Debezium's truncate events have a null key (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-truncate-events).
        var change = Change(null, DebeziumEvents.Change("orders", "t", null, 1000, 1100), "cdc.public.orders");
        Assert.Equal(ChangeKind.Truncate, change.Kind);
        Assert.Empty(change.Key);
        Assert.Null(change.Row);
    }

    [Fact]
    public void TombstoneAfterADeleteIsSkipped()
    {
        var result = Decode(DebeziumEvents.Key(7), null);
        Assert.Equal(SkipReason.Tombstone, result.Skip);
        Assert.Null(result.Change);
        Assert.Null(result.Error);
    }

    [Fact]
    public void UnavailableValuePlaceholderBecomesUnchangedNeverAValue()
    {
        var row = new[]
        {
            Col.Number("id", 3), Col.Text("description", "__debezium_unavailable_value"),
            Col.TextArray("tags", "__debezium_unavailable_value"),
            Col.Named("bytes", "image", "", Convert.ToBase64String("__debezium_unavailable_value"u8)),
            Col.Json("metadata", "__debezium_unavailable_value"),
        };
        var change = Change(DebeziumEvents.Key(3, table: "products"), DebeziumEvents.Change("products", "u", row, 1000, 1100), "cdc.public.products");

        Assert.All(change.Row!.Where(c => c.Name != "id"), c => Assert.True(c.Unchanged, c.Name));
        Assert.False(change.Row![0].Unchanged);
    }

    [Fact]
    public void LogicalDecodingMessageIsSkipped()
    {
        var result = Decode(DebeziumEvents.Key(1), DebeziumEvents.Change("users", "m", null, 1000, 1100));
        Assert.Equal(SkipReason.LogicalMessage, result.Skip);
    }
}
