namespace CdcAspire.Sink.Tests;

/// <summary>The sink as a process, against a real PostgreSQL and the Elasticsearch test server.</summary>
public sealed class EndToEndTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SnapshotInterleavedWithLiveWritesEndsWithEveryDocumentEqualToItsRow()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "e2e");
        await s.ExecuteAsync(Workload.InsertProducts(3000));
        s.StartSink();

        // Live writes while the snapshot runs: inserts, updates, deletes, transactions over several tables.
        for (var i = 0; i < 20; i++)
        {
            await s.ExecuteAsync(Workload.MultiTableTransaction(i));
            await s.ExecuteAsync($"UPDATE products SET price = price + 1 WHERE id % 97 = {i}");
        }

        await s.AssertConvergesAsync(Converge);
        var status = await s.StatusAsync();
        Assert.Equal("Streaming", status!.Value.GetProperty("phase").GetString());
    }

    [Fact]
    public async Task StreamedChangesOfEveryKindArriveAndDeletedRowsAreGone()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "ops");
        s.StartSink();
        await s.AssertConvergesAsync(Converge);

        await s.ExecuteAsync(Workload.InsertProducts(200));
        // An update that leaves the TOASTed description untouched: pgoutput sends it as "unchanged toast".
        await s.ExecuteAsync("UPDATE products SET price = 1234567.89, tags = ARRAY['changed'] WHERE category = 'Bulk'");
        // Key change: the old document must go, the new one appear.
        await s.ExecuteAsync("UPDATE users SET id = 1000 WHERE username = 'john_doe'");
        await s.ExecuteAsync("DELETE FROM products WHERE id % 3 = 0");
        await s.ExecuteAsync("UPDATE products SET metadata = '{\"a\": [1, 2.50, null, \"s\"]}', is_active = false WHERE id % 5 = 0");
        for (var i = 0; i < 10; i++)
        {
            await s.ExecuteAsync(Workload.MultiTableTransaction(100 + i));
        }

        await s.AssertConvergesAsync(Converge);
        var doc = s.Elasticsearch.GetDocument("products", "2");
        Assert.NotNull(doc);
        Assert.Contains("\"price\":299.99", doc.Source.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Null(s.Elasticsearch.GetDocument("users", "1"));
        Assert.NotNull(s.Elasticsearch.GetDocument("users", "1000"));
    }

    [Fact]
    public async Task UnchangedToastedDescriptionIsNeverIndexedAsPlaceholderOrNull()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "toast");
        await s.ExecuteAsync(Workload.InsertProducts(20));
        s.StartSink();
        await s.AssertConvergesAsync(Converge, "products");
        var before = s.Elasticsearch.GetDocument("products", "10")!.Source;

        await s.ExecuteAsync("UPDATE products SET inventory_count = 777 WHERE category = 'Bulk'");
        await s.EventuallyAsync(
            () => Task.FromResult(s.Elasticsearch.GetDocument("products", "10")?.Source),
            src => src is not null && src.Contains("\"inventory_count\":777", StringComparison.Ordinal),
            Converge, "the update of product 10");

        var after = s.Elasticsearch.GetDocument("products", "10")!.Source;
        var description = System.Text.Json.JsonDocument.Parse(after).RootElement.GetProperty("description").GetString();
        Assert.Equal(System.Text.Json.JsonDocument.Parse(before).RootElement.GetProperty("description").GetString(), description);
        Assert.True(description!.Length > 3000);
        await s.AssertConvergesAsync(Converge, "products");
    }

    [Fact]
    public async Task TruncateEmptiesTheIndexAndRowsWrittenAfterItStay()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "trunc");
        s.StartSink();
        await s.AssertConvergesAsync(Converge);
        await s.ExecuteAsync("BEGIN; TRUNCATE orders; COMMIT;");
        await s.ExecuteAsync(Workload.MultiTableTransaction(1));
        await s.ExecuteAsync("TRUNCATE orders, products; " + Workload.InsertProducts(5));
        await s.AssertConvergesAsync(Converge);
        Assert.Equal(5, s.Elasticsearch.GetDocuments("products").Count);
    }

    [Fact]
    public async Task ANewColumnAppearsInTheDocumentsOfATableWithoutStrictTemplate()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "ddl", seed: false);
        await s.ExecuteAsync("CREATE TABLE notes (id bigint PRIMARY KEY, body text, tags text[], created_at timestamptz DEFAULT now())");
        await s.ExecuteAsync("CREATE TABLE users (id int PRIMARY KEY)"); // the seed tables must exist for the default config
        await s.ExecuteAsync("CREATE TABLE products (id int PRIMARY KEY); CREATE TABLE orders (id int PRIMARY KEY)");
        s.Environment["Cdc__Tables__public.notes__Index"] = "notes";
        s.StartSink();
        await s.ExecuteAsync("INSERT INTO notes (id, body) SELECT g, 'n' || g FROM generate_series(1, 50) g");
        await s.AssertConvergesAsync(Converge, "notes");
        await s.ExecuteAsync("ALTER TABLE notes ADD COLUMN rating numeric(4,1)");
        await s.ExecuteAsync("UPDATE notes SET rating = 4.5 WHERE id <= 10; INSERT INTO notes (id, body, rating) VALUES (51, 'new', 1.0)");
        await s.AssertConvergesAsync(Converge, "notes");
        Assert.Contains("\"rating\":4.5", s.Elasticsearch.GetDocument("notes", "3")!.Source, StringComparison.Ordinal);
    }
}
