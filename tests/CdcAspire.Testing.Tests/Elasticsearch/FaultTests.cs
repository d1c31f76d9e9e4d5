namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class FaultTests : ServerTest
{
    [Fact]
    public async Task FailNextRequestsAnswersWithEsRejectionBodiesThenRecovers()
    {
        Server.Faults.FailNextRequests(2, 429, "/_bulk");

        var health = await Client.GetAsync("_cluster/health");
        var first = await Client.BulkAsync([Index("orders", "1"), new { a = 1 }]);
        var second = await Client.BulkAsync([Index("orders", "1"), new { a = 1 }], "orders/_bulk");
        var third = await Client.BulkAsync([Index("orders", "1"), new { a = 1 }]);

        Assert.Equal(200, health.Code);
        Assert.Equal(429, first.Code);
        Assert.Equal("es_rejected_execution_exception", first.ErrorType);
        Assert.Equal(429, first.Json.GetProperty("status").GetInt32());
        Assert.Equal(429, second.Code);
        Assert.Equal(200, third.Code);
        Assert.Equal(3, Server.Counters.BulkRequests);
        Assert.Equal(1, Server.Counters.BulkItems);
        Assert.Equal(2, Server.Counters.RequestsWithStatus(429));
    }

    [Theory]
    [InlineData(503, "cluster_block_exception")]
    [InlineData(500, "exception")]
    public async Task FailNextRequestsUsesTheEsErrorTypeOfTheStatus(int status, string type)
    {
        Server.Faults.FailNextRequests(1, status);

        var response = await Client.GetAsync("/");

        Assert.Equal(status, response.Code);
        Assert.Equal(type, response.ErrorType);
    }

    [Fact]
    public async Task A502ComesFromTheProxyAsHtml()
    {
        Server.Faults.FailNextRequests(1, 502);

        var response = await Client.GetAsync("/");

        Assert.Equal(502, response.Code);
        Assert.Contains("502 Bad Gateway", response.Text);
    }

    [Fact]
    public async Task DelayedResponsesOutlastAShortClientTimeout()
    {
        Server.Faults.DelayRequests(TimeSpan.FromSeconds(5), count: 1);
        using var impatient = new HttpClient { BaseAddress = Server.Uri, Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.GetAsync("/", TestContext.Current.CancellationToken));
        var next = await Client.GetAsync("/");

        Assert.Equal(200, next.Code);
    }

    [Fact]
    public async Task DroppedConnectionsGiveNoResponseAndWriteNothingUnlessDroppedAfterProcessing()
    {
        Server.Faults.DropNextConnections(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => Client.BulkAsync([Index("orders", "1"), new { a = 1 }]));
        Server.Faults.DropNextConnections(1, afterProcessing: true);
        await Assert.ThrowsAsync<HttpRequestException>(() => Client.BulkAsync([Index("orders", "2"), new { a = 2 }]));

        Assert.Null(Server.GetDocument("orders", "1"));
        Assert.NotNull(Server.GetDocument("orders", "2"));
        Assert.Equal(2, Server.Counters.BulkRequests);
    }

    [Fact]
    public async Task RejectItemsFailsMatchingItemsWithTheGivenError()
    {
        Server.Faults.RejectItems(i => i.Source?.Contains("poison", StringComparison.Ordinal) == true, 400, "document_parsing_exception", "bad value");

        var response = await Client.BulkAsync([Index("orders", "1"), new { a = "poison" }, Index("orders", "2"), new { a = "fine" }]);

        Assert.True(response.Json.GetProperty("errors").GetBoolean());
        var error = response.Item(0).GetProperty("error");
        Assert.Equal("document_parsing_exception", error.GetProperty("type").GetString());
        Assert.Equal("bad value", error.GetProperty("reason").GetString());
        Assert.Equal("created", response.Item(1).GetProperty("result").GetString());
        Assert.Null(Server.GetDocument("orders", "1"));
    }

    [Fact]
    public async Task FailNextItemsRejectsItemsWith429InsideA200Response()
    {
        Server.Faults.FailNextItems(2);

        var response = await Client.BulkAsync([Index("orders", "1"), new { a = 1 }, Index("orders", "2"), new { a = 2 }, Index("orders", "3"), new { a = 3 }]);

        Assert.Equal(200, response.Code);
        Assert.Equal(429, response.Item(0).GetProperty("status").GetInt32());
        Assert.Equal("es_rejected_execution_exception", response.Item(1).GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(201, response.Item(2).GetProperty("status").GetInt32());
        Assert.Equal(2, Server.Counters.FailedItemsWithStatus(429));
        Assert.Single(Server.GetDocuments("orders"));
    }

    [Fact]
    public async Task ClearRemovesEveryRule()
    {
        Server.Faults.FailNextRequests(5, 503);
        Server.Faults.FailNextItems(5);

        Server.Faults.Clear();
        var response = await Client.BulkAsync([Index("orders", "1"), new { a = 1 }]);

        Assert.Equal(200, response.Code);
        Assert.False(response.Json.GetProperty("errors").GetBoolean());
    }
}
