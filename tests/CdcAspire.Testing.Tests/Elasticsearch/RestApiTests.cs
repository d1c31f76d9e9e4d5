namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class RestApiTests : ServerTest
{
    [Fact]
    public async Task RootDescribesAnEs8Node()
    {
        var response = await Client.GetAsync("/");

        Assert.Equal(200, response.Code);
        Assert.Equal("You Know, for Search", response.Json.GetProperty("tagline").GetString());
        Assert.Equal("8.17.3", response.Json.GetProperty("version").GetProperty("number").GetString());
        Assert.Equal("Elasticsearch", response.Headers.GetValues("X-elastic-product").Single());
    }

    [Fact]
    public async Task HealthIsGreenWithoutReplicasAndYellowWithUnassignableReplicas()
    {
        var empty = await Client.GetAsync("_cluster/health");
        await Client.PutAsync("replicated", new { });
        var withReplicas = await Client.GetAsync("_cluster/health");

        Assert.Equal("green", empty.Json.GetProperty("status").GetString());
        Assert.Equal("yellow", withReplicas.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownPathsAndWrongMethodsAnswerLikeEs()
    {
        var unknown = await Client.GetAsync("_nope/x/y/z");
        var wrongMethod = await Client.GetAsync("_bulk");

        Assert.Equal(400, unknown.Code);
        Assert.Equal("no handler found for uri [/_nope/x/y/z] and method [GET]", unknown.Json.GetProperty("error").GetString());
        Assert.Equal(405, wrongMethod.Code);
        Assert.Equal("Incorrect HTTP method for uri [/_bulk] and method [GET], allowed: [POST, PUT]", wrongMethod.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task IndexExistenceDeletionAndInvalidNames()
    {
        await Client.PutAsync("orders", new { });

        var exists = await Client.SendAsync(HttpMethod.Head, "orders");
        var deleted = await Client.SendAsync(HttpMethod.Delete, "orders");
        var gone = await Client.SendAsync(HttpMethod.Head, "orders");
        var deleteMissing = await Client.SendAsync(HttpMethod.Delete, "orders");
        var upper = await Client.BulkAsync([Index("Orders", "1"), new { a = 1 }]);

        Assert.Equal(200, exists.Code);
        Assert.True(deleted.Json.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(404, gone.Code);
        Assert.Equal("index_not_found_exception", deleteMissing.ErrorType);
        Assert.Equal("invalid_index_name_exception", upper.Item(0).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task SingleDocumentApisShareTheBulkSemantics()
    {
        var created = await Client.PutAsync("orders/_doc/1?version=3&version_type=external", new { a = 1 });
        var stale = await Client.PutAsync("orders/_doc/1?version=2&version_type=external", new { a = 2 });
        var deleted = await Client.SendAsync(HttpMethod.Delete, "orders/_doc/1?version=4&version_type=external");

        Assert.Equal(201, created.Code);
        Assert.Equal(3, created.Json.GetProperty("_version").GetInt64());
        Assert.Equal(409, stale.Code);
        Assert.Equal("version_conflict_engine_exception", stale.ErrorType);
        Assert.Equal(200, deleted.Code);
        Assert.Equal("deleted", deleted.Json.GetProperty("result").GetString());
    }
}
