namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class AliasTests : ServerTest
{
    [Fact]
    public async Task WritesThroughAnAliasGoToItsWriteIndex()
    {
        await Client.PutAsync("orders-v1", new { });
        await Client.PutAsync("orders-v2", new { });
        var update = await Client.PostAsync("_aliases", new
        {
            actions = new object[]
            {
                new { add = new { index = "orders-v1", alias = "orders", is_write_index = false } },
                new { add = new { index = "orders-v2", alias = "orders", is_write_index = true } },
            },
        });

        var response = await Client.BulkAsync([Index("orders", "1"), new { a = 1 }], "_bulk?refresh=true");
        var count = await Client.GetAsync("orders/_count");
        var aliases = await Client.GetAsync("_alias/orders");

        Assert.True(update.Json.GetProperty("acknowledged").GetBoolean());
        Assert.Equal("orders-v2", response.Item(0).GetProperty("_index").GetString());
        Assert.NotNull(Server.GetDocument("orders-v2", "1"));
        Assert.Equal(1, count.Json.GetProperty("count").GetInt64());
        Assert.True(aliases.Json.GetProperty("orders-v2").GetProperty("aliases").GetProperty("orders").GetProperty("is_write_index").GetBoolean());
        Assert.False(aliases.Json.GetProperty("orders-v1").GetProperty("aliases").GetProperty("orders").GetProperty("is_write_index").GetBoolean());
    }

    [Fact]
    public async Task AnAliasOverSeveralIndicesWithoutAWriteIndexRejectsWrites()
    {
        await Client.PutAsync("a1", new { aliases = new { both = new { } } });
        await Client.PutAsync("a2", new { aliases = new { both = new { } } });

        var response = await Client.BulkAsync([Index("both", "1"), new { a = 1 }]);

        var error = response.Item(0).GetProperty("error");
        Assert.Equal("illegal_argument_exception", error.GetProperty("type").GetString());
        Assert.StartsWith("no write index is defined for alias [both]", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RemovingAndSwappingAliasesIsAtomic()
    {
        await Client.PutAsync("v1", new { aliases = new { current = new { } } });
        await Client.PutAsync("v2", new { });

        var swap = await Client.PostAsync("_aliases", new
        {
            actions = new object[]
            {
                new { remove = new { index = "v1", alias = "current" } },
                new { add = new { index = "v2", alias = "current" } },
            },
        });
        var missing = await Client.PostAsync("_aliases", new { actions = new object[] { new { remove = new { index = "v1", alias = "current" } } } });
        var perIndex = await Client.GetAsync("v2/_alias");
        var unknown = await Client.GetAsync("_alias/nope");

        Assert.Equal(200, swap.Code);
        Assert.Equal(404, missing.Code);
        Assert.Equal("aliases_not_found_exception", missing.ErrorType);
        Assert.True(perIndex.Json.GetProperty("v2").GetProperty("aliases").TryGetProperty("current", out _));
        Assert.Equal(404, unknown.Code);
        Assert.Equal("alias [nope] missing", unknown.Json.GetProperty("error").GetString());
    }
}
