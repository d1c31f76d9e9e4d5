namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class BulkTests : ServerTest
{
    [Fact]
    public async Task IndexingTwiceCreatesThenUpdatesWithEsItemShape()
    {
        var response = await Client.BulkAsync([Index("orders", "1"), new { total = 1 }, Index("orders", "1"), new { total = 2 }]);

        Assert.Equal(200, response.Code);
        Assert.False(response.Json.GetProperty("errors").GetBoolean());
        var created = response.Item(0);
        Assert.Equal("orders", created.GetProperty("_index").GetString());
        Assert.Equal("1", created.GetProperty("_id").GetString());
        Assert.Equal(1, created.GetProperty("_version").GetInt64());
        Assert.Equal("created", created.GetProperty("result").GetString());
        Assert.Equal(201, created.GetProperty("status").GetInt32());
        Assert.Equal(0, created.GetProperty("_seq_no").GetInt64());
        Assert.Equal(1, created.GetProperty("_primary_term").GetInt64());
        Assert.Equal(2, created.GetProperty("_shards").GetProperty("total").GetInt32());
        Assert.Equal(1, created.GetProperty("_shards").GetProperty("successful").GetInt32());
        var updated = response.Item(1);
        Assert.Equal("updated", updated.GetProperty("result").GetString());
        Assert.Equal(2, updated.GetProperty("_version").GetInt64());
        Assert.Equal(200, updated.GetProperty("status").GetInt32());
        Assert.Equal("{\"total\":2}", Server.GetDocument("orders", "1")!.Source);
    }

    [Fact]
    public async Task CreateOnAnExistingDocumentIsAVersionConflictItem()
    {
        await Client.BulkAsync([Index("orders", "1"), new { a = 1 }]);

        var response = await Client.BulkAsync([Action("create", "orders", "1"), new { a = 2 }]);

        Assert.True(response.Json.GetProperty("errors").GetBoolean());
        var item = response.Item(0);
        Assert.Equal(409, item.GetProperty("status").GetInt32());
        Assert.Equal("version_conflict_engine_exception", item.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("[1]: version conflict, document already exists (current version [1])", item.GetProperty("error").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task DeletingAMissingDocumentIsANotFoundItem()
    {
        var response = await Client.BulkAsync([Action("delete", "orders", "9")]);

        var item = response.Item(0);
        Assert.False(response.Json.GetProperty("errors").GetBoolean());
        Assert.Equal("not_found", item.GetProperty("result").GetString());
        Assert.Equal(404, item.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ABodyWithoutTheFinalNewlineIsRejectedWhole()
    {
        var response = await Client.BulkAsync("{\"index\":{\"_index\":\"orders\",\"_id\":\"1\"}}\n{\"a\":1}");

        Assert.Equal(400, response.Code);
        Assert.Equal("illegal_argument_exception", response.ErrorType);
        Assert.Equal("The bulk request must be terminated by a newline [\\n]", response.ErrorReason);
        Assert.Empty(Server.IndexNames);
    }

    [Fact]
    public async Task AnUnknownActionIsAMalformedLine()
    {
        var response = await Client.BulkAsync("{\"upsert\":{\"_index\":\"orders\"}}\n{}\n");

        Assert.Equal(400, response.Code);
        Assert.Equal("Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [upsert]", response.ErrorReason);
    }

    [Fact]
    public async Task InvalidJsonInAnActionLineIsAnXContentParseException()
    {
        var response = await Client.BulkAsync("{\"index\":{\"_index\":\"orders\",}\n{}\n");

        Assert.Equal(400, response.Code);
        Assert.Equal("x_content_parse_exception", response.ErrorType);
    }

    [Fact]
    public async Task AnUnknownParameterInTheActionIsRejected()
    {
        var response = await Client.BulkAsync([Index("orders", "1", new { colour = "red" }), new { a = 1 }]);

        Assert.Equal(400, response.Code);
        Assert.Equal("Action/metadata line [1] contains an unknown parameter [colour]", response.ErrorReason);
    }

    [Fact]
    public async Task AnActionWithoutIndexFailsValidation()
    {
        var response = await Client.BulkAsync("{\"index\":{\"_id\":\"1\"}}\n{\"a\":1}\n");

        Assert.Equal(400, response.Code);
        Assert.Equal("action_request_validation_exception", response.ErrorType);
        Assert.Equal("Validation Failed: 1: index is missing;", response.ErrorReason);
    }

    [Fact]
    public async Task ThePathIndexIsTheDefaultAndIdsAreGeneratedWhenMissing()
    {
        var response = await Client.BulkAsync("{\"index\":{}}\n{\"a\":1}\n", "orders/_bulk");

        var item = response.Item(0);
        Assert.Equal("orders", item.GetProperty("_index").GetString());
        Assert.Equal(20, item.GetProperty("_id").GetString()!.Length);
        Assert.Single(Server.GetDocuments("orders"));
    }

    [Fact]
    public async Task UpdateMergesPartialDocumentsDetectsNoopsAndUpsertsWithDocAsUpsert()
    {
        await Client.BulkAsync([Index("orders", "1"), new { a = 1, nested = new { x = 1, y = 1 } }]);

        var response = await Client.BulkAsync([
            Action("update", "orders", "1"), new { doc = new { nested = new { y = 2 } } },
            Action("update", "orders", "1"), new { doc = new { a = 1 } },
            Action("update", "orders", "2"), new { doc = new { b = 1 } },
            Action("update", "orders", "3"), new { doc = new { c = 1 }, doc_as_upsert = true },
        ]);

        Assert.Equal("updated", response.Item(0).GetProperty("result").GetString());
        Assert.Equal("noop", response.Item(1).GetProperty("result").GetString());
        Assert.Equal(0, response.Item(1).GetProperty("_shards").GetProperty("total").GetInt32());
        Assert.Equal("document_missing_exception", response.Item(2).GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(404, response.Item(2).GetProperty("status").GetInt32());
        Assert.Equal("created", response.Item(3).GetProperty("result").GetString());
        Assert.Equal("{\"a\":1,\"nested\":{\"x\":1,\"y\":2}}", Server.GetDocument("orders", "1")!.Source);
        Assert.Equal(2, Server.GetDocument("orders", "1")!.Version);
    }

    [Fact]
    public async Task UpdateWithAnExternalVersionIsRejectedAsEsDoes()
    {
        var response = await Client.BulkAsync([Action("update", "orders", "1", new { version = 5, version_type = "external" }), new { doc = new { a = 1 } }]);

        Assert.Equal(400, response.Code);
        Assert.Equal("illegal_argument_exception", response.ErrorType);
        Assert.Equal("Update requests do not support versioning. Please use `if_seq_no` and `if_primary_term` instead", response.ErrorReason);
    }

    [Fact]
    public async Task CountersRecordBulkRequestsItemsAndOutcomes()
    {
        await Client.BulkAsync([Index("orders", "1"), new { a = 1 }, Index("orders", "1"), new { a = 2 }, Action("delete", "orders", "2"), Action("create", "orders", "1"), new { a = 3 }]);

        Assert.Equal(1, Server.Counters.BulkRequests);
        Assert.Equal(4, Server.Counters.BulkItems);
        Assert.Equal(1, Server.Counters.Created);
        Assert.Equal(1, Server.Counters.Updated);
        Assert.Equal(1, Server.Counters.NotFound);
        Assert.Equal(1, Server.Counters.FailedItemsWithStatus(409));
        Assert.Equal(1, Server.Counters.RequestsWithStatus(200));
    }
}
