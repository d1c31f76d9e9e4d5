using System.Text.Json;

namespace CdcAspire.Sink.Tests;

/// <summary>PostgreSQL types arrive faithfully, and composite keys give ids that never collide, through the real stream.</summary>
public sealed class TypesAndKeysTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EveryTypeIsIndexedExactlyAndCompositeKeysMapToEscapedIds()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "types");
        await s.ExecuteAsync("""
            CREATE TABLE typed (
                a text, b int, u uuid, n numeric(30,10), f float8, d date, ts timestamp, tz timestamptz,
                bo bool, by bytea, arr int[], tags text[], j jsonb, PRIMARY KEY (a, b));
            INSERT INTO typed VALUES
                ('x|y', 1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 12345678901234567890.0123456789, 0.1, '2024-02-29',
                 '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.5+02', true, '\x0102ff', '{1,NULL,3}',
                 '{"a,b","NULL",NULL}', '{"k": [1, 2.50], "o": {"z": null}}');
            """);
        s.Environment["Cdc__Tables__public.typed__Index"] = "typed";
        s.StartSink();

        var doc = await DocumentAsync(s, @"x\|y|1");
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", doc.GetProperty("u").GetString());
        Assert.Equal("12345678901234567890.0123456789", doc.GetProperty("n").GetRawText());
        Assert.Equal("0.1", doc.GetProperty("f").GetRawText());
        Assert.Equal("2024-02-29", doc.GetProperty("d").GetString());
        Assert.Equal("2024-01-02T03:04:05.123456", doc.GetProperty("ts").GetString());
        Assert.Equal("2024-01-02T01:04:05.5Z", doc.GetProperty("tz").GetString());
        Assert.True(doc.GetProperty("bo").GetBoolean());
        Assert.Equal(Convert.ToBase64String([1, 2, 255]), doc.GetProperty("by").GetString());
        Assert.Equal("[1,null,3]", doc.GetProperty("arr").GetRawText());
        Assert.Equal("""["a,b","NULL",null]""", doc.GetProperty("tags").GetRawText());
        Assert.Equal("""{"k":[1,2.50],"o":{"z":null}}""", doc.GetProperty("j").GetRawText());

        // A second row through the stream, once the first document has fixed the index's dynamic mapping (f: float).
        await s.ExecuteAsync("INSERT INTO typed VALUES ('x', 2, NULL, -1, 'NaN', '0044-03-15 BC', NULL, NULL, false, NULL, '{}', '{}', 'null')");

        // float8 'NaN' is encoded faithfully (as the string "NaN"); Elasticsearch's float field refuses it, so the
        // row becomes a dead letter with the reason instead of vanishing.
        var reason = await s.EventuallyAsync(
            () => s.ScalarAsync<string>("SELECT error_reason FROM cdc.dead_letters WHERE document_id = 'x|2'"),
            r => r is not null, Wait, "the dead letter of row x|2");
        Assert.Contains("[f]", reason, StringComparison.Ordinal);
        Assert.Null(s.Elasticsearch.GetDocument("typed", "x|2"));

        // The same values through the stream (the snapshot above used the query path).
        await s.ExecuteAsync("UPDATE typed SET n = n + 1, tags = tags || ARRAY['z'] WHERE b = 1; DELETE FROM typed WHERE b = 2;");
        await s.EventuallyAsync(
            () => Task.FromResult(s.Elasticsearch.GetDocument("typed", @"x\|y|1")?.Source),
            src => src!.Contains("12345678901234567891.0123456789", StringComparison.Ordinal), Wait, "the streamed update");
        await s.EventuallyAsync(() => Task.FromResult<bool?>(s.Elasticsearch.GetDocument("typed", "x|2") is null), gone => gone == true, Wait, "the delete");
        var updated = JsonDocument.Parse(s.Elasticsearch.GetDocument("typed", @"x\|y|1")!.Source).RootElement;
        Assert.Equal("""["a,b","NULL",null,"z"]""", updated.GetProperty("tags").GetRawText());
        Assert.Equal("2024-01-02T01:04:05.5Z", updated.GetProperty("tz").GetString());
    }

    private static async Task<JsonElement> DocumentAsync(SinkScenario s, string id)
    {
        var source = await s.EventuallyAsync(
            () => Task.FromResult(s.Elasticsearch.GetDocument("typed", id)?.Source), src => src is not null, Wait, $"document {id}");
        return JsonDocument.Parse(source).RootElement;
    }
}
