using System.Text.Json.Nodes;
using CdcAspire.Kafka.Tests.Infrastructure;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Kafka;
using static CdcAspire.Kafka.Tests.Debezium.DecoderHarness;

namespace CdcAspire.Kafka.Tests.Debezium;

/// <summary>ExtractNewRecordState output (https://debezium.io/documentation/reference/stable/transformations/event-flattening.html).</summary>
public sealed class FlattenedDecodingTests
{
    private static readonly Col[] Row = [Col.Number("id", 2), Col.Text("username", "jane_smith")];

    [Fact]
    public void SeedStyleFlattenedEventWithoutSequenceIsRefusedWithTheFix()
    {
        // The seed's add.fields=op,ts_ms,source.ts_ms and a RegexRouter topic named after the table.
        var value = DebeziumEvents.Flattened(Row, new Dictionary<string, JsonNode?> { ["__op"] = "u", ["__ts_ms"] = 1_700_000_000_100, ["__source_ts_ms"] = 1_700_000_000_000 });
        var result = Decode("{\"id\":2}", value, topic: "users");

        Assert.Equal("unordered_event", result.Error!.ErrorType);
        Assert.Contains("source.sequence", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal("public.users", result.Table);
    }

    [Fact]
    public void FlattenedEventWithSequenceIsOrderedLikeTheEnvelope()
    {
        var value = DebeziumEvents.Flattened(Row, new Dictionary<string, JsonNode?> { ["__op"] = "u", ["__source_sequence"] = "[\"5000\",\"5100\"]", ["__source_ts_ms"] = 1 });
        var change = Change("{\"id\":2}", value, topic: "users");

        Assert.Equal(ChangeKind.Update, change.Kind);
        Assert.Equal(new Position(5000, 1), change.Position);
        Assert.Equal(["id", "username"], change.Row!.Select(c => c.Name));
        Assert.Equal(["2"], change.Key);
    }

    [Fact]
    public void CommitTimeOrderingIsAnExplicitOptIn()
    {
        var value = DebeziumEvents.Flattened(Row, new Dictionary<string, JsonNode?> { ["__op"] = "c", ["__source_ts_ms"] = 1_700_000_000_000 });
        var change = Change("{\"id\":2}", value, topic: "users", ordering: FlattenedOrdering.CommitTime);
        Assert.Equal(new Position(1_700_000_000_000, 1), change.Position);
    }

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("true")]
    public void RewrittenDeleteBecomesDelete(string deleted)
    {
        var value = DebeziumEvents.Flattened([Col.Number("id", 2)], new Dictionary<string, JsonNode?> { ["__op"] = "d", ["__deleted"] = JsonNode.Parse(deleted), ["__source_sequence"] = "[\"5000\",\"5100\"]" });
        var change = Change("{\"id\":2}", value, topic: "cdc.public.users");
        Assert.Equal(ChangeKind.Delete, change.Kind);
        Assert.Null(change.Row);
    }

    [Fact]
    public void FlattenedTombstoneIsTheDeleteVersionedByRecordTimeOnlyWhenAllowed()
    {
        var rejected = Decode("{\"id\":2}", null, topic: "cdc.public.users", form: EventForm.Flattened, timestampMs: 1_700_000_000_000);
        Assert.Equal("unordered_event", rejected.Error!.ErrorType);
        Assert.Contains("rewrite", rejected.Error.Message, StringComparison.Ordinal);

        var delete = Change("{\"id\":2}", null, topic: "cdc.public.users", ordering: FlattenedOrdering.CommitTime, form: EventForm.Flattened, timestampMs: 1_700_000_000_000);
        Assert.Equal(ChangeKind.Delete, delete.Kind);
        Assert.Equal(["2"], delete.Key);
        Assert.Equal(new Position(1_700_000_000_000, 1), delete.Position);

        // In envelope form the tombstone only follows a 'd' event.
        Assert.Equal(CdcAspire.Pipeline.Kafka.Debezium.SkipReason.Tombstone, Decode("{\"id\":2}", null).Skip);
    }

    [Fact]
    public void UserColumnsStartingWithUnderscoresAreKeptOnlyTransformMetadataIsDropped()
    {
        var value = DebeziumEvents.Flattened([Col.Number("id", 2), Col.Text("__note", "mine")], new Dictionary<string, JsonNode?> { ["__op"] = "u", ["__source_sequence"] = "[\"5000\",\"5100\"]", ["__table"] = "users", ["__transaction_total_order"] = 1 });
        var change = Change("{\"id\":2}", value, topic: "cdc.public.users", form: EventForm.Flattened);
        Assert.Equal(["id", "__note"], change.Row!.Select(c => c.Name));
    }
}
