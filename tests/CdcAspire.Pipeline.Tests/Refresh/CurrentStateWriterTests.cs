using System.Text.Json;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Refresh;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using CdcAspire.Testing.Elasticsearch;
using CdcAspire.Testing.Postgres;
using Npgsql;

namespace CdcAspire.Pipeline.Tests.Refresh;

/// <summary>The one rule replay and repair share: the row's current state, a version fenced before the read.</summary>
public sealed class CurrentStateWriterTests : IAsyncLifetime
{
    private static readonly TableId Items = new("public", "items");
    private PostgresCluster _pg = null!;
    private ElasticsearchTestServer _es = null!;
    private PostgresConnections _connections = null!;
    private CurrentStateWriter _writer = null!;
    private SearchClusterClient _client = null!;
    private HttpClient _http = null!;
    private string _db = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _pg = await PostgresCluster.StartAsync(cancellationToken: ct);
        _db = "refresh";
        await _pg.CreateDatabaseAsync(_db, ct);
        await _pg.ExecuteAsync(_db, "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2), tags text[])", ct);
        _es = await ElasticsearchTestServer.StartAsync(ct: ct);
        _connections = new PostgresConnections(_pg.ConnectionString(_db));
        _http = new HttpClient();
        _client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(_es.Uri.ToString()), TimeSpan.FromSeconds(30));
        var options = new CdcOptions { Tables = { ["public.items"] = new TableOptions { Index = "items" } } };
        var mapper = new DocumentMapper(TableMapping.FromOptions(options), DeadLetterSource.Postgres);
        _writer = new CurrentStateWriter(_connections, _client, mapper,
            new VersionFence(_connections.DataSource, VersionFenceMode.WalInsertPosition), new PgTypeCatalog());
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _connections.DisposeAsync();
        await _es.DisposeAsync();
        await _pg.DisposeAsync();
    }

    [Fact]
    public async Task AnExistingRowIsWrittenAsItIsNowAndAGoneRowIsDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        await _pg.ExecuteAsync(_db, "INSERT INTO items VALUES (1, 'now', 12.50, '{a,b}')", ct);
        await IndexAsync("1", """{"id":1,"name":"old"}""", version: 1, ct);
        await IndexAsync("2", """{"id":2,"name":"ghost"}""", version: 1, ct);

        var results = await _writer.RefreshAsync(Items, ["1", "2"], ct);

        Assert.Equal([RefreshOutcome.Indexed, RefreshOutcome.Deleted], results.Select(r => r.Outcome));
        var doc = JsonDocument.Parse(_es.GetDocument("items", "1")!.Source).RootElement;
        Assert.Equal("now", doc.GetProperty("name").GetString());
        Assert.Equal("12.50", doc.GetProperty("price").GetRawText().Trim('"'));
        Assert.Null(_es.GetDocument("items", "2"));
    }

    [Fact]
    public async Task ADocumentWrittenByALaterCommitIsSupersededNotOverwritten()
    {
        var ct = TestContext.Current.CancellationToken;
        await _pg.ExecuteAsync(_db, "INSERT INTO items VALUES (3, 'read', 1, '{}')", ct);
        // A streamed change committed after the fence carries a commit-LSN version far above the current WAL.
        var later = new Position(Position.MaxMajor, 0).ToExternalVersion();
        await IndexAsync("3", """{"id":3,"name":"newer"}""", later, ct);

        var results = await _writer.RefreshAsync(Items, ["3"], ct);

        Assert.Equal(RefreshOutcome.Superseded, Assert.Single(results).Outcome);
        Assert.Contains("newer", _es.GetDocument("items", "3")!.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFenceWaitsForATransactionInFlightWhenItIsTaken()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var open = new NpgsqlConnection(_pg.ConnectionString(_db));
        await open.OpenAsync(ct);
        await using var tx = await open.BeginTransactionAsync(ct);
        await using (var write = new NpgsqlCommand("INSERT INTO items VALUES (4, 'in flight', 1, '{}')", open, tx))
        {
            await write.ExecuteNonQueryAsync(ct);
        }

        var fence = new VersionFence(_connections.DataSource, VersionFenceMode.WalInsertPosition);
        var taking = fence.TakeAsync(ct);
        await Task.Delay(300, ct);
        if (taking.IsCompleted)
        {
            await taking; // surfaces a failure
            Assert.Fail("the fence must wait while a transaction that began before it is open");
        }

        await tx.CommitAsync(ct);
        var taken = await taking.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.True(taken.Position.Major > 0);
    }

    [Fact]
    public async Task AnIdThatCannotComeFromTheKeyFailsWithTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var results = await _writer.RefreshAsync(Items, ["not-a-number"], ct);
        var result = Assert.Single(results);
        Assert.Equal(RefreshOutcome.Failed, result.Outcome);
        Assert.False(result.Transient);
    }

    private async Task IndexAsync(string id, string json, long version, CancellationToken ct)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PutAsync(new Uri(_es.Uri, $"items/_doc/{id}?version={version}&version_type=external_gte"), content, ct);
        response.EnsureSuccessStatusCode();
    }
}
