namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class TemplateTests : ServerTest
{
    private static object Template(string[] patterns, int priority, string replicas, object? aliases = null) => new
    {
        index_patterns = patterns,
        priority,
        template = new
        {
            settings = new { number_of_replicas = replicas },
            mappings = new { dynamic = "strict", properties = new { id = new { type = "integer" } } },
            aliases = aliases ?? new { },
        },
    };

    [Fact]
    public async Task AnAutoCreatedIndexGetsTheHighestPriorityMatchingTemplate()
    {
        await Client.PutAsync("_index_template/low", Template(["orders*"], 1, "2"));
        await Client.PutAsync("_index_template/high", Template(["orders-*"], 10, "0", new { orders = new { } }));

        var response = await Client.BulkAsync([Index("orders-2025", "1"), new { id = 1 }, Index("orders-2025", "2"), new { other = 1 }]);

        Assert.Equal("created", response.Item(0).GetProperty("result").GetString());
        Assert.Equal("strict_dynamic_mapping_exception", response.Item(1).GetProperty("error").GetProperty("type").GetString());
        var settings = await Client.GetAsync("orders-2025/_settings");
        Assert.Equal("0", settings.Json.GetProperty("orders-2025").GetProperty("settings").GetProperty("index").GetProperty("number_of_replicas").GetString());
        var alias = await Client.GetAsync("_alias/orders");
        Assert.True(alias.Json.TryGetProperty("orders-2025", out _));
    }

    [Fact]
    public async Task TemplatesWithTheSamePriorityAndOverlappingPatternsAreRefused()
    {
        await Client.PutAsync("_index_template/a", Template(["logs-*"], 5, "0"));

        var response = await Client.PutAsync("_index_template/b", Template(["logs-app-*"], 5, "0"));

        Assert.Equal(400, response.Code);
        Assert.Equal("illegal_argument_exception", response.ErrorType);
        Assert.Contains("that have the same priority [5]", response.ErrorReason);
    }

    [Fact]
    public async Task TemplatesCanBeReadCheckedAndDeleted()
    {
        await Client.PutAsync("_index_template/orders", Template(["orders"], 500, "0"));

        var get = await Client.GetAsync("_index_template/orders");
        var head = await Client.SendAsync(HttpMethod.Head, "_index_template/orders");
        var delete = await Client.SendAsync(HttpMethod.Delete, "_index_template/orders");
        var missing = await Client.GetAsync("_index_template/orders");

        var template = get.Json.GetProperty("index_templates")[0];
        Assert.Equal("orders", template.GetProperty("name").GetString());
        Assert.Equal(500, template.GetProperty("index_template").GetProperty("priority").GetInt32());
        Assert.Equal(200, head.Code);
        Assert.True(delete.Json.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(404, missing.Code);
        Assert.Equal("resource_not_found_exception", missing.ErrorType);
    }

    [Fact]
    public async Task ExplicitCreationMergesTheRequestOverTheTemplateAndRefusesDuplicates()
    {
        await Client.PutAsync("_index_template/orders", Template(["orders"], 500, "1"));

        var created = await Client.PutAsync("orders", new { settings = new { number_of_replicas = 0 } });
        var again = await Client.PutAsync("orders", new { });
        var mapping = await Client.GetAsync("orders/_mapping");
        var health = await Client.GetAsync("_cluster/health");

        Assert.True(created.Json.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(400, again.Code);
        Assert.Equal("resource_already_exists_exception", again.ErrorType);
        Assert.StartsWith("index [orders/", again.ErrorReason);
        var mappings = mapping.Json.GetProperty("orders").GetProperty("mappings");
        Assert.Equal("strict", mappings.GetProperty("dynamic").GetString());
        Assert.Equal("integer", mappings.GetProperty("properties").GetProperty("id").GetProperty("type").GetString());
        Assert.Equal("green", health.Json.GetProperty("status").GetString());
    }
}
