using System.Net;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Writing;

namespace CdcAspire.Pipeline.Tests.Writing;

public sealed class BulkOutcomeClassifierTests
{
    private static readonly TableId Users = new("public", "users");
    private static readonly TableId Orders = new("public", "orders");

    private static IndexAction Index(TableId table, string id, long version = 7) =>
        new(WriteOperation.Index, table.Name, id, version, "{\"a\":1}"u8.ToArray(), table, new Position((ulong)version, 0));

    private static IndexAction Delete(TableId table, string id) =>
        new(WriteOperation.Delete, table.Name, id, 7, ReadOnlyMemory<byte>.Empty, table, new Position(7, 0));

    private static BulkItemOutcome Status(BulkItemStatus status, int http, string? type = null, string? reason = null) => new(status, http, type, reason);

    [Fact]
    public void AppliedSupersededRetriedAndRejectedItemsEachGoTheirWay()
    {
        var sent = new[] { Index(Users, "1"), Delete(Users, "2"), Index(Users, "3"), Index(Users, "4"), Index(Users, "5") };
        var outcome = BulkOutcomeClassifier.Classify(DeadLetterSource.Postgres, sent,
        [
            Status(BulkItemStatus.Applied, 201),
            Status(BulkItemStatus.Applied, 200),
            Status(BulkItemStatus.Superseded, 409, "version_conflict_engine_exception"),
            Status(BulkItemStatus.Retry, 429, "es_rejected_execution_exception"),
            Status(BulkItemStatus.Rejected, 400, "document_parsing_exception", "failed to parse"),
        ]);

        Assert.Equal([new TableCounts(Users, "users", 1, 1, 1)], outcome.Tables);
        Assert.Equal([sent[3]], outcome.Retry);
        var letter = Assert.Single(outcome.DeadLetters);
        Assert.Equal(("public.users", "users", "5", DeadLetterOperation.Index, "document_parsing_exception"), (letter.Table, letter.Index, letter.DocumentId, letter.Operation, letter.ErrorType));
        Assert.Equal(new Position(7, 0).ToString(), letter.Position);
        Assert.Equal("{\"a\":1}", letter.Document);
        Assert.Contains("failed to parse", letter.ErrorReason, StringComparison.Ordinal);
    }

    [Fact]
    public void CountsAreKeptPerTableInTheOrderTheTablesAppear()
    {
        var sent = new[] { Index(Users, "1"), Index(Users, "2"), Index(Orders, "1"), Delete(Users, "3") };
        var outcome = BulkOutcomeClassifier.Classify(DeadLetterSource.Postgres, sent, sent.Select(_ => Status(BulkItemStatus.Applied, 200)).ToArray());

        Assert.Equal(
            [new TableCounts(Users, "users", 2, 0, 0), new TableCounts(Orders, "orders", 1, 0, 0), new TableCounts(Users, "users", 0, 1, 0)],
            outcome.Tables);
        Assert.Empty(outcome.Retry);
        Assert.Empty(outcome.DeadLetters);
    }

    [Fact]
    public void ARejectedItemWithoutAnErrorTypeIsNamedByItsHttpStatus()
    {
        var outcome = BulkOutcomeClassifier.Classify(DeadLetterSource.Postgres, [Delete(Users, "1")], [Status(BulkItemStatus.Rejected, 403)]);

        var letter = Assert.Single(outcome.DeadLetters);
        Assert.Equal(("http_403", DeadLetterOperation.Delete, (string?)null), (letter.ErrorType, letter.Operation, letter.Document));
    }

    [Fact]
    public void OutcomesThatDoNotMatchTheActionsAreRefused() =>
        Assert.Throws<ArgumentException>(() => BulkOutcomeClassifier.Classify(DeadLetterSource.Postgres, [Index(Users, "1")], []));

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, 5, nameof(RequestFailureAction.RetryLater))]
    [InlineData(HttpStatusCode.ServiceUnavailable, 1, nameof(RequestFailureAction.RetryLater))]
    [InlineData(HttpStatusCode.Unauthorized, 5, nameof(RequestFailureAction.RetryLater))]
    [InlineData(HttpStatusCode.BadRequest, 5, nameof(RequestFailureAction.SendOneByOne))]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, 2, nameof(RequestFailureAction.SendOneByOne))]
    [InlineData(HttpStatusCode.BadRequest, 1, nameof(RequestFailureAction.DeadLetter))]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, 1, nameof(RequestFailureAction.DeadLetter))]
    public void AFailedRequestIsRetriedSplitOrDeadLetteredByItsStatusAndSize(HttpStatusCode status, int actions, string expected) =>
        Assert.Equal(expected, BulkOutcomeClassifier.Classify(new ElasticsearchException("failed", status, null, isTransient: (int)status >= 429), actions).ToString());

    [Fact]
    public void AConnectionFailureWithoutAStatusIsRetried() =>
        Assert.Equal(RequestFailureAction.RetryLater, BulkOutcomeClassifier.Classify(new ElasticsearchException("connection refused", null, null, isTransient: true), 3));
}
