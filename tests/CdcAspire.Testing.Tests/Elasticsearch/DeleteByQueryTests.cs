namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class DeleteByQueryTests : ServerTest
{
    [Fact]
    public async Task DeleteByQueryDeletesTheMatchesOfTheRefreshedView()
    {
        await Client.BulkAsync([Index("orders", "1"), new { s = "old" }, Index("orders", "2"), new { s = "old" }, Index("orders", "3"), new { s = "new" }], "_bulk?refresh=true");
        await Client.BulkAsync([Index("orders", "4"), new { s = "old" }]);

        var response = await Client.PostAsync("orders/_delete_by_query?refresh=true", new { query = new { term = new { s = "old" } } });

        Assert.Equal(200, response.Code);
        Assert.Equal(2, response.Json.GetProperty("deleted").GetInt64());
        Assert.Equal(2, response.Json.GetProperty("total").GetInt64());
        Assert.Equal(0, response.Json.GetProperty("version_conflicts").GetInt64());
        Assert.Equal(0, response.Json.GetProperty("failures").GetArrayLength());
        Assert.Equal(["3", "4"], Server.GetDocuments("orders").Select(d => d.Id).Order().ToArray());
    }

    [Fact]
    public async Task DocumentsChangedSinceTheRefreshAreConflictsCountedWithProceedOrAbortingOtherwise()
    {
        await Client.BulkAsync([Index("orders", "1"), new { s = "old" }, Index("orders", "2"), new { s = "old" }], "_bulk?refresh=true");
        await Client.BulkAsync([Index("orders", "1"), new { s = "old" }, Index("orders", "2"), new { s = "old" }]);

        var aborted = await Client.PostAsync("orders/_delete_by_query", new { query = new { match_all = new { } } });
        var proceeded = await Client.PostAsync("orders/_delete_by_query?conflicts=proceed", new { query = new { match_all = new { } } });

        Assert.Equal(409, aborted.Code);
        Assert.Equal("version_conflict_engine_exception", aborted.Json.GetProperty("failures")[0].GetProperty("cause").GetProperty("type").GetString());
        Assert.Equal(200, proceeded.Code);
        Assert.Equal(2, proceeded.Json.GetProperty("version_conflicts").GetInt64());
        Assert.Equal(2, Server.GetDocuments("orders").Count);
    }
}
