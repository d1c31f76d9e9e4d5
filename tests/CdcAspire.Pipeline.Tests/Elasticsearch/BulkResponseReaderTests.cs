using System.Text;
using CdcAspire.Pipeline.Elasticsearch;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

public sealed class BulkResponseReaderTests
{
    [Fact]
    public void ItemsAreClassifiedAsAppliedSupersededRetryOrRejected()
    {
        const string body = """
            {"took":3,"errors":true,"items":[
              {"index":{"_index":"u","_id":"1","_version":5,"result":"created","status":201}},
              {"delete":{"_index":"u","_id":"2","_version":7,"result":"not_found","status":404}},
              {"index":{"_index":"u","_id":"3","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[3]: version conflict"}}},
              {"index":{"_index":"u","_id":"4","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}},
              {"index":{"_index":"u","_id":"5","status":400,"error":{"type":"document_parsing_exception","reason":"bad","caused_by":{"type":"x","reason":"not a date"}}}}
            ]}
            """;
        var outcomes = BulkResponseReader.Read(Encoding.UTF8.GetBytes(body), 5);
        Assert.Equal(
            [BulkItemStatus.Applied, BulkItemStatus.Applied, BulkItemStatus.Superseded, BulkItemStatus.Retry, BulkItemStatus.Rejected],
            outcomes.Select(o => o.Status));
        Assert.Equal("document_parsing_exception", outcomes[4].ErrorType);
        Assert.Contains("not a date", outcomes[4].ErrorReason, StringComparison.Ordinal);
    }

    [Fact]
    public void AResponseWithTheWrongNumberOfItemsIsATransientFailure()
    {
        var ex = Assert.Throws<ElasticsearchException>(() => BulkResponseReader.Read("""{"items":[]}"""u8, 2));
        Assert.True(ex.IsTransient);
    }
}
