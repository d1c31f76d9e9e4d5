using System.Text;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Options;

namespace CdcAspire.Pipeline.Tests.Mapping;

public sealed class DocumentMapperTests
{
    private static readonly TableId Users = new("public", "Users");

    private static DocumentMapper Mapper(TableOptions? options = null) =>
        new(new Dictionary<TableId, TableMapping> { [Users] = new(Users, options ?? new TableOptions()) }, DeadLetterSource.Postgres);

    private static ColumnValue Col(string name, string json) => new(name, Encoding.UTF8.GetBytes(json));

    [Fact]
    public void InsertBecomesOneIndexActionWithLowerCaseIndexIdFromKeyAndVersionFromPosition()
    {
        var change = new ChangeEvent(Users, ChangeKind.Insert, new Position(0x100, 2), ["42"], [Col("id", "42"), Col("name", "\"Ann\"")]);
        var action = Assert.Single(Mapper().Map(change).Actions);
        Assert.Equal(WriteOperation.Index, action.Operation);
        Assert.Equal("users", action.Index);
        Assert.Equal("42", action.Id);
        Assert.Equal(new Position(0x100, 2).ToExternalVersion(), action.Version);
        Assert.Equal("{\"id\":42,\"name\":\"Ann\"}", Encoding.UTF8.GetString(action.Document.Span));
    }

    [Fact]
    public void ExcludedColumnsNeverReachTheDocument()
    {
        var options = new TableOptions { ExcludeColumns = ["password_hash"] };
        var change = new ChangeEvent(Users, ChangeKind.Snapshot, new Position(1, 0), ["1"], [Col("id", "1"), Col("password_hash", "\"x\"")]);
        var action = Assert.Single(Mapper(options).Map(change).Actions);
        Assert.DoesNotContain("password_hash", Encoding.UTF8.GetString(action.Document.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateThatChangesTheKeyDeletesTheOldDocumentBeforeIndexingTheNewOne()
    {
        var change = new ChangeEvent(Users, ChangeKind.Update, new Position(5, 1), ["2"], [Col("id", "2")], OldKey: ["1"]);
        var actions = Mapper().Map(change).Actions;
        Assert.Equal(2, actions.Count);
        Assert.Equal((WriteOperation.Delete, "1"), (actions[0].Operation, actions[0].Id));
        Assert.Equal((WriteOperation.Index, "2"), (actions[1].Operation, actions[1].Id));
    }

    [Fact]
    public void UnresolvedUnchangedToastBecomesADeadLetterNotAPlaceholder()
    {
        var change = new ChangeEvent(Users, ChangeKind.Update, new Position(5, 1), ["2"], [Col("id", "2"), ColumnValue.UnchangedToast("bio")]);
        var result = Mapper().Map(change);
        Assert.Empty(result.Actions);
        Assert.Equal("unchanged_toast_unresolved", result.DeadLetter!.ErrorType);
        Assert.Contains("bio", result.DeadLetter.ErrorReason, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyChangeWithAnUnresolvableNewRowStillDeletesTheOldDocument()
    {
        var change = new ChangeEvent(Users, ChangeKind.Update, new Position(5, 1), ["2"], [Col("id", "2"), ColumnValue.UnchangedToast("bio")], OldKey: ["1"]);
        var result = Mapper().Map(change);
        var delete = Assert.Single(result.Actions);
        Assert.Equal((WriteOperation.Delete, "1"), (delete.Operation, delete.Id));
        Assert.NotNull(result.DeadLetter);
    }

    [Fact]
    public void UnknownTableBecomesADeadLetterThatNamesTheConfigurationKey()
    {
        var change = new ChangeEvent(new TableId("public", "other"), ChangeKind.Insert, new Position(5, 1), ["2"], [Col("id", "2")]);
        var letter = Mapper().Map(change).DeadLetter!;
        Assert.Equal("unknown_table", letter.ErrorType);
        Assert.Contains("Cdc:Tables", letter.ErrorReason, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncateTargetsTheTablesIndex() =>
        Assert.Equal("users", Mapper().Map(new ChangeEvent(Users, ChangeKind.Truncate, new Position(5, 1), [], null)).TruncateIndex);

    [Theory]
    [InlineData(new[] { "a|b", "c" }, @"a\|b|c")]
    [InlineData(new[] { "a", "b|c" }, @"a|b\|c")]
    [InlineData(new[] { @"a\", "b" }, @"a\\|b")]
    [InlineData(new[] { "7" }, "7")]
    public void CompositeKeysGiveIdsThatNeverCollide(string[] key, string expected) => Assert.Equal(expected, DocumentId.From(key));
}
