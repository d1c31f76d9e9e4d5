namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class MappingTests : ServerTest
{
    private async Task CreateTypedIndexAsync()
    {
        var response = await Client.PutAsync("typed", new
        {
            mappings = new
            {
                dynamic = "strict",
                properties = new
                {
                    count = new { type = "integer" },
                    amount = new { type = "scaled_float", scaling_factor = 100 },
                    ratio = new { type = "double" },
                    active = new { type = "boolean" },
                    at = new { type = "date" },
                    blob = new { type = "binary" },
                    name = new { type = "keyword" },
                    suggest = new { type = "completion" },
                    address = new { type = "object", properties = new { city = new { type = "keyword" } } },
                    items = new { type = "nested", properties = new { sku = new { type = "keyword" } } },
                },
            },
        });
        Assert.Equal(200, response.Code);
    }

    [Fact]
    public async Task StrictMappingRejectsAnUnknownFieldPerItemWithEsReason()
    {
        await CreateTypedIndexAsync();

        var response = await Client.BulkAsync([
            Index("typed", "1"), new { count = 1, colour = "red" },
            Index("typed", "2"), new { address = new { city = "Oslo", street = "x" } },
            Index("typed", "3"), new { count = 3 },
        ]);

        Assert.Equal(200, response.Code);
        var first = response.Item(0).GetProperty("error");
        Assert.Equal(400, response.Item(0).GetProperty("status").GetInt32());
        Assert.Equal("strict_dynamic_mapping_exception", first.GetProperty("type").GetString());
        Assert.Matches(@"^\[1:\d+\] mapping set to strict, dynamic introduction of \[colour\] within \[_doc\] is not allowed$", first.GetProperty("reason").GetString());
        Assert.Contains("dynamic introduction of [street] within [address] is not allowed", response.Item(1).GetProperty("error").GetProperty("reason").GetString());
        Assert.Equal("created", response.Item(2).GetProperty("result").GetString());
        Assert.Null(Server.GetDocument("typed", "1"));
    }

    [Theory]
    [InlineData("{\"count\":\"abc\"}", "number_format_exception")]
    [InlineData("{\"count\":3000000000}", "illegal_argument_exception")]
    [InlineData("{\"ratio\":\"x1\"}", "number_format_exception")]
    [InlineData("{\"active\":\"yes\"}", "illegal_argument_exception")]
    [InlineData("{\"at\":\"31/12/2024\"}", "illegal_argument_exception")]
    [InlineData("{\"blob\":\"not base64!\"}", "illegal_argument_exception")]
    [InlineData("{\"name\":{\"a\":1}}", "illegal_state_exception")]
    public async Task AValueOfTheWrongTypeIsADocumentParsingException(string source, string cause)
    {
        await CreateTypedIndexAsync();

        var response = await Client.BulkAsync("{\"index\":{\"_index\":\"typed\",\"_id\":\"1\"}}\n" + source + "\n");

        var error = response.Item(0).GetProperty("error");
        Assert.Equal("document_parsing_exception", error.GetProperty("type").GetString());
        Assert.Contains("in document with id '1'", error.GetProperty("reason").GetString());
        Assert.Equal(cause, error.GetProperty("caused_by").GetProperty("type").GetString());
    }

    [Fact]
    public async Task AConcreteValueForAnObjectFieldIsRejected()
    {
        await CreateTypedIndexAsync();

        var response = await Client.BulkAsync("{\"index\":{\"_index\":\"typed\",\"_id\":\"1\"}}\n{\"address\":\"Oslo\"}\n");

        Assert.Contains("object mapping for [address] tried to parse field [address] as object, but found a concrete value",
            response.Item(0).GetProperty("error").GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("{\"count\":\"42\"}")]
    [InlineData("{\"count\":42.7}")]
    [InlineData("{\"amount\":\"12.34\",\"ratio\":1e3}")]
    [InlineData("{\"active\":\"false\"}")]
    [InlineData("{\"at\":\"2025-03-01T10:20:30.123456Z\"}")]
    [InlineData("{\"at\":\"2025-03-01T10:20:30+02:00\"}")]
    [InlineData("{\"at\":\"2025-03-01\"}")]
    [InlineData("{\"at\":1735689600000}")]
    [InlineData("{\"blob\":\"aGVsbG8=\"}")]
    [InlineData("{\"suggest\":{\"input\":[\"a\",\"b\"],\"weight\":3},\"items\":[{\"sku\":\"x\"},{\"sku\":\"y\"}]}")]
    [InlineData("{\"name\":[\"a\",\"b\"],\"count\":null,\"address\":{\"city\":null}}")]
    public async Task ValuesEsCoercesAreAccepted(string source)
    {
        await CreateTypedIndexAsync();

        var response = await Client.BulkAsync("{\"index\":{\"_index\":\"typed\",\"_id\":\"1\"}}\n" + source + "\n");

        Assert.Equal("created", response.Item(0).GetProperty("result").GetString());
        Assert.Equal(source, Server.GetDocument("typed", "1")!.Source);
    }

    [Fact]
    public async Task DynamicMappingInfersTypesLikeEs()
    {
        await Client.BulkAsync([Index("dyn", "1"), new { title = "hello", n = 1, f = 1.5, b = true, at = "2025-01-01T00:00:00Z", obj = new { inner = "x" } }]);

        var response = await Client.GetAsync("dyn/_mapping");

        var properties = response.Json.GetProperty("dyn").GetProperty("mappings").GetProperty("properties");
        Assert.Equal("text", properties.GetProperty("title").GetProperty("type").GetString());
        Assert.Equal("keyword", properties.GetProperty("title").GetProperty("fields").GetProperty("keyword").GetProperty("type").GetString());
        Assert.Equal(256, properties.GetProperty("title").GetProperty("fields").GetProperty("keyword").GetProperty("ignore_above").GetInt32());
        Assert.Equal("long", properties.GetProperty("n").GetProperty("type").GetString());
        Assert.Equal("float", properties.GetProperty("f").GetProperty("type").GetString());
        Assert.Equal("boolean", properties.GetProperty("b").GetProperty("type").GetString());
        Assert.Equal("date", properties.GetProperty("at").GetProperty("type").GetString());
        Assert.Equal("text", properties.GetProperty("obj").GetProperty("properties").GetProperty("inner").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ADynamicallyMappedFieldRejectsLaterValuesOfAnotherType()
    {
        var response = await Client.BulkAsync([Index("dyn", "1"), new { n = 1 }, Index("dyn", "2"), new { n = "abc" }]);

        Assert.Equal("created", response.Item(0).GetProperty("result").GetString());
        Assert.Equal("document_parsing_exception", response.Item(1).GetProperty("error").GetProperty("type").GetString());
    }
}
