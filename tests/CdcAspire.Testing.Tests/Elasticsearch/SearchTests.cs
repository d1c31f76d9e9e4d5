using System.Text.Json;

namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class SearchTests : ServerTest
{
    private async Task SeedAsync(int count, string refresh = "true")
    {
        await Client.PutAsync("orders", new
        {
            settings = new { number_of_replicas = 0 },
            mappings = new
            {
                properties = new
                {
                    id = new { type = "integer" },
                    status = new { type = "keyword" },
                    total = new { type = "scaled_float", scaling_factor = 100 },
                    at = new { type = "date" },
                    note = new { type = "text" },
                },
            },
        });
        var lines = new List<object>();
        for (var i = 1; i <= count; i++)
        {
            lines.Add(Index("orders", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            lines.Add(new { id = i, status = i % 3 == 0 ? "paid" : "new", total = i * 1.5, at = $"2025-01-{1 + (i % 28):00}T00:00:00Z", note = i % 2 == 0 ? "Fast delivery" : null });
        }

        await Client.BulkAsync(lines, $"_bulk?refresh={refresh}");
    }

    private async Task<long> CountAsync(object query)
    {
        var response = await Client.PostAsync("orders/_count", new { query });
        Assert.Equal(200, response.Code);
        return response.Json.GetProperty("count").GetInt64();
    }

    [Fact]
    public async Task SearchSeesOnlyRefreshedDocumentsWhileGetIsRealtime()
    {
        await Client.BulkAsync([Index("orders", "1"), new { a = 1 }]);

        var before = await Client.PostAsync("orders/_search", new { query = new { match_all = new { } } });
        var get = await Client.GetAsync("orders/_doc/1");
        await Client.PostAsync("orders/_refresh");
        var after = await Client.PostAsync("orders/_search", new { query = new { match_all = new { } } });

        Assert.Equal(0, before.Json.GetProperty("hits").GetProperty("total").GetProperty("value").GetInt32());
        Assert.True(get.Json.GetProperty("found").GetBoolean());
        Assert.Equal(1, get.Json.GetProperty("_version").GetInt64());
        Assert.Equal(1, get.Json.GetProperty("_source").GetProperty("a").GetInt32());
        var hits = after.Json.GetProperty("hits");
        Assert.Equal(1, hits.GetProperty("total").GetProperty("value").GetInt32());
        Assert.Equal("eq", hits.GetProperty("total").GetProperty("relation").GetString());
        Assert.Equal("1", hits.GetProperty("hits")[0].GetProperty("_id").GetString());
    }

    [Fact]
    public async Task ThePeriodicRefreshFollowsTheClock()
    {
        await Client.BulkAsync([Index("orders", "1"), new { a = 1 }]);

        var before = await Client.GetAsync("orders/_count");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await Client.GetAsync("orders/_count");

        Assert.Equal(0, before.Json.GetProperty("count").GetInt64());
        Assert.Equal(1, after.Json.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task SortAndSearchAfterPageThroughEveryDocumentOnce()
    {
        await SeedAsync(95);
        var seen = new List<int>();
        object[]? after = null;

        while (true)
        {
            var body = new Dictionary<string, object> { ["size"] = 10, ["sort"] = new object[] { new { status = "desc" }, new { id = "asc" } } };
            if (after is not null)
            {
                body["search_after"] = after;
            }

            var page = (await Client.PostAsync("orders/_search", body)).Json.GetProperty("hits").GetProperty("hits");
            if (page.GetArrayLength() == 0)
            {
                break;
            }

            seen.AddRange(page.EnumerateArray().Select(h => h.GetProperty("_source").GetProperty("id").GetInt32()));
            var sort = page[page.GetArrayLength() - 1].GetProperty("sort");
            after = [sort[0].GetString()!, sort[1].GetInt64()];
        }

        Assert.Equal(95, seen.Count);
        Assert.Equal(95, seen.Distinct().Count());
        Assert.Equal(3, seen[0]);
    }

    [Fact]
    public async Task TermTermsRangeBoolAndExistsQueriesCountLikeEs()
    {
        await SeedAsync(30);

        Assert.Equal(10, await CountAsync(new { term = new { status = "paid" } }));
        Assert.Equal(30, await CountAsync(new { terms = new { status = new[] { "paid", "new" } } }));
        Assert.Equal(3, await CountAsync(new { ids = new { values = new[] { "1", "2", "3", "999" } } }));
        Assert.Equal(11, await CountAsync(new { range = new { id = new { gte = 10, lte = 20 } } }));
        Assert.Equal(15, await CountAsync(new { exists = new { field = "note" } }));
        Assert.Equal(15, await CountAsync(new { term = new { note = "fast" } }));
        Assert.Equal(2, await CountAsync(new { range = new { at = new { gte = "2025-01-03", lt = "2025-01-04" } } }));
        Assert.Equal(5, await CountAsync(new
        {
            @bool = new
            {
                filter = new object[] { new { term = new { status = "paid" } } },
                must_not = new object[] { new { range = new { id = new { gt = 15 } } } },
            },
        }));
        Assert.Equal(20, await CountAsync(new { @bool = new { should = new object[] { new { term = new { status = "paid" } }, new { exists = new { field = "note" } } } } }));
    }

    [Fact]
    public async Task SourceFilteringFromSizeAndTrackTotalHitsShapeTheResponse()
    {
        await SeedAsync(12);

        var response = await Client.PostAsync("orders/_search", new
        {
            from = 10,
            size = 5,
            _source = new[] { "id" },
            track_total_hits = 5,
            sort = new object[] { "id" },
        });

        var hits = response.Json.GetProperty("hits");
        Assert.Equal(5, hits.GetProperty("total").GetProperty("value").GetInt32());
        Assert.Equal("gte", hits.GetProperty("total").GetProperty("relation").GetString());
        Assert.Equal(2, hits.GetProperty("hits").GetArrayLength());
        var source = hits.GetProperty("hits")[0].GetProperty("_source");
        Assert.Equal("{\"id\":11}", source.GetRawText());
        Assert.Equal(JsonValueKind.Null, hits.GetProperty("hits")[0].GetProperty("_score").ValueKind);
    }

    [Fact]
    public async Task SortingAfterAnUpdateUsesTheNewRevisionsValue()
    {
        // Sort values are kept per document revision once built (doc values): an update must not sort by the old one.
        await SeedAsync(3);
        var before = await Client.PostAsync("orders/_search", new { sort = new object[] { new { total = "desc" } } });
        await Client.BulkAsync([Index("orders", "1"), new { id = 1, status = "new", total = 99.0 }], "_bulk?refresh=true");

        var after = await Client.PostAsync("orders/_search", new { sort = new object[] { new { total = "desc" } } });

        Assert.Equal(["3", "2", "1"], before.Json.GetProperty("hits").GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("_id").GetString()));
        Assert.Equal(["1", "3", "2"], after.Json.GetProperty("hits").GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("_id").GetString()));
    }

    [Fact]
    public async Task SortingOnIdOrTextIsRefusedAsInEs8()
    {
        await SeedAsync(2);

        var byId = await Client.PostAsync("orders/_search", new { sort = new object[] { "_id" } });
        var byText = await Client.PostAsync("orders/_search", new { sort = new object[] { "note" } });

        Assert.Equal(400, byId.Code);
        Assert.Equal("search_phase_execution_exception", byId.ErrorType);
        Assert.Contains("indices.id_field_data.enabled", byId.Json.GetProperty("error").GetProperty("root_cause")[0].GetProperty("reason").GetString());
        Assert.Equal(400, byText.Code);
        Assert.Contains("Text fields are not optimised", byText.Text);
    }

    [Fact]
    public async Task MultiGetReportsFoundMissingAndUnknownIndices()
    {
        await SeedAsync(2, refresh: "false");

        var response = await Client.PostAsync("_mget", new { docs = new object[] { new { _index = "orders", _id = "1" }, new { _index = "orders", _id = "9" }, new { _index = "nope", _id = "1" } } });
        var byIds = await Client.PostAsync("orders/_mget", new { ids = new[] { "2" } });

        var docs = response.Json.GetProperty("docs");
        Assert.True(docs[0].GetProperty("found").GetBoolean());
        Assert.Equal(1, docs[0].GetProperty("_source").GetProperty("id").GetInt32());
        Assert.False(docs[1].GetProperty("found").GetBoolean());
        Assert.Equal("index_not_found_exception", docs[2].GetProperty("error").GetProperty("type").GetString());
        Assert.True(byIds.Json.GetProperty("docs")[0].GetProperty("found").GetBoolean());
    }

    [Fact]
    public async Task GetOfAMissingDocumentOrIndexIs404()
    {
        await SeedAsync(1);

        var missingDoc = await Client.GetAsync("orders/_doc/42");
        var missingIndex = await Client.GetAsync("nope/_doc/1");
        var head = await Client.SendAsync(HttpMethod.Head, "orders/_doc/1");

        Assert.Equal(404, missingDoc.Code);
        Assert.False(missingDoc.Json.GetProperty("found").GetBoolean());
        Assert.Equal(404, missingIndex.Code);
        Assert.Equal("index_not_found_exception", missingIndex.ErrorType);
        Assert.Equal("no such index [nope]", missingIndex.ErrorReason);
        Assert.Equal(200, head.Code);
    }

    [Fact]
    public async Task SearchAcrossWildcardsAndCommaListsCountsEveryIndex()
    {
        await Client.BulkAsync([Index("logs-a", "1"), new { a = 1 }, Index("logs-b", "1"), new { a = 1 }, Index("other", "1"), new { a = 1 }], "_bulk?refresh=true");

        var wildcard = await Client.GetAsync("logs-*/_count");
        var list = await Client.PostAsync("logs-a,other/_search", new { size = 10 });
        var none = await Client.GetAsync("nothing-*/_count");

        Assert.Equal(2, wildcard.Json.GetProperty("count").GetInt64());
        Assert.Equal(2, list.Json.GetProperty("hits").GetProperty("total").GetProperty("value").GetInt32());
        Assert.Equal(2, list.Json.GetProperty("_shards").GetProperty("total").GetInt32());
        Assert.Equal(0, none.Json.GetProperty("count").GetInt64());
    }
}
