namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class TombstoneTests : ServerTest
{
    [Fact]
    public async Task AnExternalDeleteOfAMissingDocumentBlocksOlderWritesUntilGcDeletesPasses()
    {
        var delete = await Client.BulkAsync([Action("delete", "orders", "1", new { version = 10, version_type = "external" })]);
        Assert.Equal("not_found", delete.Item(0).GetProperty("result").GetString());
        Assert.Equal(10, delete.Item(0).GetProperty("_version").GetInt64());

        var staleWithinGc = await Client.BulkAsync([Index("orders", "1", new { version = 7, version_type = "external" }), new { v = 7 }]);
        Clock.Advance(TimeSpan.FromSeconds(61));
        var staleAfterGc = await Client.BulkAsync([Index("orders", "1", new { version = 7, version_type = "external" }), new { v = 7 }]);

        Assert.Equal("[1]: version conflict, current version [10] is higher or equal to the one provided [7]",
            staleWithinGc.Item(0).GetProperty("error").GetProperty("reason").GetString());
        Assert.Equal("created", staleAfterGc.Item(0).GetProperty("result").GetString());
        Assert.Equal(7, Server.GetDocument("orders", "1")!.Version);
    }

    [Fact]
    public async Task DeletingAnExistingDocumentKeepsItsExternalVersionAsTombstone()
    {
        await Client.BulkAsync([Index("orders", "1", new { version = 3, version_type = "external" }), new { v = 3 }]);

        var response = await Client.BulkAsync([
            Action("delete", "orders", "1", new { version = 4, version_type = "external" }),
            Index("orders", "1", new { version = 4, version_type = "external" }), new { v = 4 },
            Index("orders", "1", new { version = 5, version_type = "external" }), new { v = 5 },
        ]);

        Assert.Equal("deleted", response.Item(0).GetProperty("result").GetString());
        Assert.Equal(409, response.Item(1).GetProperty("status").GetInt32());
        Assert.Equal("created", response.Item(2).GetProperty("result").GetString());
    }

    [Fact]
    public async Task GcDeletesIsReadFromTheIndexSettings()
    {
        await Client.PutAsync("orders", new { settings = new { index = new { gc_deletes = "5s" } } });
        await Client.BulkAsync([Action("delete", "orders", "1", new { version = 10, version_type = "external" })]);

        Clock.Advance(TimeSpan.FromSeconds(4));
        var within = await Client.BulkAsync([Index("orders", "1", new { version = 2, version_type = "external" }), new { v = 2 }]);
        Clock.Advance(TimeSpan.FromSeconds(2));
        var after = await Client.BulkAsync([Index("orders", "1", new { version = 2, version_type = "external" }), new { v = 2 }]);

        Assert.Equal(409, within.Item(0).GetProperty("status").GetInt32());
        Assert.Equal(201, after.Item(0).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task InternalVersionsContinueFromTheTombstoneThenRestartAfterGc()
    {
        await Client.BulkAsync([Index("orders", "1"), new { v = 1 }, Action("delete", "orders", "1")]);

        var recreated = await Client.BulkAsync([Index("orders", "1"), new { v = 2 }, Action("delete", "orders", "1")]);
        Clock.Advance(TimeSpan.FromMinutes(2));
        var afterGc = await Client.BulkAsync([Index("orders", "1"), new { v = 3 }]);

        Assert.Equal(3, recreated.Item(0).GetProperty("_version").GetInt64());
        Assert.Equal(1, afterGc.Item(0).GetProperty("_version").GetInt64());
    }
}
