namespace CdcAspire.Testing.Tests.Elasticsearch;

/// <summary>GET _stats: docs (as of the last refresh) and indexing counters, in the documented envelope.</summary>
public sealed class StatsTests : ServerTest
{
    [Fact]
    public async Task IndexStatsCountRefreshedDocumentsAndEveryIndexingOperation()
    {
        await Client.PutAsync("orders", new { settings = new { number_of_replicas = 0 } });
        await Client.BulkAsync([
            Index("orders", "1"), new { a = 1 },
            Index("orders", "2"), new { a = 2 },
            Index("orders", "3", new { version = 5, version_type = "external" }), new { a = 3 },
            Index("orders", "3", new { version = 4, version_type = "external" }), new { a = 3 }, // 409: index_failed
            Action("delete", "orders", "1"),
        ]);
        var beforeRefresh = await Client.GetAsync("orders/_stats/docs,indexing");
        await Client.PostAsync("orders/_refresh");

        var stats = await Client.GetAsync("orders/_stats");

        Assert.Equal(200, stats.Code);
        Assert.Equal(0, beforeRefresh.Json.GetProperty("indices").GetProperty("orders").GetProperty("primaries").GetProperty("docs").GetProperty("count").GetInt64());
        var orders = stats.Json.GetProperty("indices").GetProperty("orders");
        Assert.Equal("green", orders.GetProperty("health").GetString());
        var primaries = orders.GetProperty("primaries");
        Assert.Equal(2, primaries.GetProperty("docs").GetProperty("count").GetInt64());
        var indexing = primaries.GetProperty("indexing");
        Assert.Equal(3, indexing.GetProperty("index_total").GetInt64());
        Assert.Equal(1, indexing.GetProperty("index_failed").GetInt64());
        Assert.Equal(1, indexing.GetProperty("delete_total").GetInt64());
        Assert.Equal(2, stats.Json.GetProperty("_all").GetProperty("total").GetProperty("docs").GetProperty("count").GetInt64());
        Assert.Equal(1, stats.Json.GetProperty("_shards").GetProperty("successful").GetInt32());
    }

    [Fact]
    public async Task AllIndicesMissingTargetsAndMetricSelectionFollowTheApiConventions()
    {
        await Client.BulkAsync([Index("a", "1"), new { x = 1 }, Index("b", "1"), new { x = 1 }]);

        var all = await Client.GetAsync("_stats");
        var allExplicit = await Client.GetAsync("_all/_stats/docs,indexing");
        var onlyDocs = await Client.GetAsync("a/_stats/docs");
        var missing = await Client.GetAsync("a,nope/_stats");
        var ignored = await Client.GetAsync("a,nope/_stats?ignore_unavailable=true");
        var unknownMetric = await Client.GetAsync("a/_stats/nonsense");
        var unreproduced = await Client.GetAsync("a/_stats/store");

        Assert.Equal(["a", "b"], all.Json.GetProperty("indices").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["a", "b"], allExplicit.Json.GetProperty("indices").EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, all.Json.GetProperty("_all").GetProperty("primaries").GetProperty("indexing").GetProperty("index_total").GetInt64());
        var docsOnly = onlyDocs.Json.GetProperty("indices").GetProperty("a").GetProperty("primaries");
        Assert.True(docsOnly.TryGetProperty("docs", out _));
        Assert.False(docsOnly.TryGetProperty("indexing", out _));
        Assert.Equal(404, missing.Code);
        Assert.Equal("index_not_found_exception", missing.ErrorType);
        Assert.Equal(["a"], ignored.Json.GetProperty("indices").EnumerateObject().Select(p => p.Name));
        Assert.Equal(400, unknownMetric.Code);
        Assert.Contains("unrecognized metric: [nonsense]", unknownMetric.ErrorReason, StringComparison.Ordinal);
        Assert.Equal(400, unreproduced.Code);
    }
}
