namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class VersioningTests : ServerTest
{
    [Fact]
    public async Task ExternalVersionsMustIncreaseStrictly()
    {
        await Client.BulkAsync([Index("orders", "1", new { version = 5, version_type = "external" }), new { v = 5 }]);

        var response = await Client.BulkAsync([
            Index("orders", "1", new { version = 3, version_type = "external" }), new { v = 3 },
            Index("orders", "1", new { version = 5, version_type = "external_gt" }), new { v = 5 },
            Index("orders", "1", new { version = 6, version_type = "external" }), new { v = 6 },
        ]);

        var stale = response.Item(0);
        Assert.Equal(409, stale.GetProperty("status").GetInt32());
        var error = stale.GetProperty("error");
        Assert.Equal("version_conflict_engine_exception", error.GetProperty("type").GetString());
        Assert.Equal("[1]: version conflict, current version [5] is higher or equal to the one provided [3]", error.GetProperty("reason").GetString());
        Assert.Equal("orders", error.GetProperty("index").GetString());
        Assert.Equal("0", error.GetProperty("shard").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("index_uuid").GetString()));
        Assert.Equal(409, response.Item(1).GetProperty("status").GetInt32());
        Assert.Equal(6, response.Item(2).GetProperty("_version").GetInt64());
        Assert.Equal(6, Server.GetDocument("orders", "1")!.Version);
    }

    [Fact]
    public async Task ExternalGteAcceptsAnEqualVersionButNotALowerOne()
    {
        await Client.BulkAsync([Index("orders", "1", new { version = 5, version_type = "external" }), new { v = 1 }]);

        var response = await Client.BulkAsync([
            Index("orders", "1", new { version = 5, version_type = "external_gte" }), new { v = 2 },
            Index("orders", "1", new { version = 4, version_type = "external_gte" }), new { v = 3 },
        ]);

        Assert.Equal("updated", response.Item(0).GetProperty("result").GetString());
        Assert.Equal("[1]: version conflict, current version [5] is higher than the one provided [4]",
            response.Item(1).GetProperty("error").GetProperty("reason").GetString());
        Assert.Equal("{\"v\":2}", Server.GetDocument("orders", "1")!.Source);
    }

    [Fact]
    public async Task ANegativeExternalVersionFailsValidation()
    {
        var response = await Client.BulkAsync([Index("orders", "1", new { version = -1, version_type = "external" }), new { v = 1 }]);

        Assert.Equal(400, response.Code);
        Assert.Equal("action_request_validation_exception", response.ErrorType);
        Assert.Equal("Validation Failed: 1: illegal version value [-1] for version type [EXTERNAL];", response.ErrorReason);
    }

    [Fact]
    public async Task AVersionBeyondJavaLongCannotBeParsed()
    {
        var response = await Client.BulkAsync("{\"index\":{\"_index\":\"orders\",\"_id\":\"1\",\"version\":9300000000000000000,\"version_type\":\"external\"}}\n{}\n");

        Assert.Equal(400, response.Code);
        Assert.Equal("x_content_parse_exception", response.ErrorType);
    }

    [Fact]
    public async Task InternalVersioningWithAnExplicitVersionFailsValidation()
    {
        var response = await Client.BulkAsync([Index("orders", "1", new { version = 2 }), new { v = 1 }]);

        Assert.Equal(400, response.Code);
        Assert.Contains("internal versioning can not be used for optimistic concurrency control", response.ErrorReason);
    }

    [Fact]
    public async Task IfSeqNoMustMatchTheCurrentDocument()
    {
        await Client.BulkAsync([Index("orders", "1"), new { v = 1 }, Index("orders", "1"), new { v = 2 }]);

        var response = await Client.BulkAsync([
            Index("orders", "1", new { if_seq_no = 0, if_primary_term = 1 }), new { v = 3 },
            Index("orders", "1", new { if_seq_no = 1, if_primary_term = 1 }), new { v = 4 },
        ]);

        Assert.Equal("[1]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]",
            response.Item(0).GetProperty("error").GetProperty("reason").GetString());
        Assert.Equal("updated", response.Item(1).GetProperty("result").GetString());
    }
}
