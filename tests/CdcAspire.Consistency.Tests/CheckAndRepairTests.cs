using System.Text.Json;
using System.Text.Json.Nodes;
using CdcAspire.Consistency.Results;
using CdcAspire.Consistency.V1;
using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.Consistency.Tests;

/// <summary>The service's checks and repairs against a real PostgreSQL, the sink as a process and the Elasticsearch test server.</summary>
public sealed class CheckAndRepairTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    private static async Task<Scenario> StreamingAsync(PostgresFixture postgres, string prefix, int seedRows = 100)
    {
        var s = await Scenario.CreateAsync(postgres, prefix);
        await s.ExecuteAsync($"INSERT INTO products (name, price, category, tags) SELECT 'Seed ' || g, g + 0.5, 'Load', ARRAY['s'] FROM generate_series(1, {seedRows}) g");
        s.StartSink();
        await s.AssertConvergesAsync(Converge);
        return s;
    }

    [Fact]
    public async Task DivergenceMadeInElasticsearchIsFoundFieldByFieldAndRepairedToZeroWhileAWorkloadWrites()
    {
        await using var s = await StreamingAsync(postgres, "diverge");
        var doc2 = JsonNode.Parse(s.Elasticsearch.GetDocument("products", "2")!.Source)!.AsObject();
        doc2["price"] = 12345.67;
        doc2["name"] = "Altered by hand";
        var extra = JsonNode.Parse(s.Elasticsearch.GetDocument("products", "3")!.Source)!.AsObject();
        extra["id"] = 999999;
        await s.SendAsync(HttpMethod.Delete, "products/_doc/1");
        await s.SendAsync(HttpMethod.Put, "products/_doc/2", doc2.ToJsonString());
        await s.SendAsync(HttpMethod.Put, "products/_doc/999999", extra.ToJsonString());

        await using (var workload = new Workload(s))
        {
            var found = await s.CheckAsync("products");
            Assert.Equal("", found.Error);
            Assert.Equal((1L, 1L, 1L), (found.Missing, found.Extra, found.Mismatched));
            Assert.Equal(
                ["1:Missing", "2:Mismatched", "999999:Extra"],
                found.Differences.Select(d => $"{d.Key}:{d.Kind}").ToArray());
            var fields = found.Differences.Single(d => d.Key == "2").Fields.OrderBy(f => f.Field, StringComparer.Ordinal).ToList();
            Assert.Equal(["name", "price"], fields.Select(f => f.Field).ToArray());
            Assert.Equal(("\"Smart Watch\"", "\"Altered by hand\""), (fields[0].RowValue, fields[0].DocumentValue));
            Assert.Equal(("299.99", "12345.67"), (fields[1].RowValue, fields[1].DocumentValue));
            Assert.True(found.RowsChecked >= 103, $"rows checked: {found.RowsChecked}");

            var repaired = await s.CheckAsync("products", repair: true);
            Assert.Equal((2L, 1L, 0L), (repaired.Repaired.Indexed, repaired.Repaired.Deleted, repaired.Repaired.Failed));

            var after = await s.CheckAsync("products");
            Assert.Equal((0L, 0L, 0L, ""), (after.Missing, after.Extra, after.Mismatched, after.Error));
            Assert.True(workload.Transactions > 0);
        }

        // The workload's own changes all arrived too: the repair never got in the stream's way.
        await s.AssertConvergesAsync(Converge, "products");
        Assert.Null(s.Elasticsearch.GetDocument("products", "999999"));
    }

    [Fact]
    public async Task ChecksDuringASteadyWorkloadOnAnExactCopyReportNothing()
    {
        // Enough rows that each check's snapshot, point in time and re-check overlap many of the workload's changes.
        await using var s = await StreamingAsync(postgres, "steady", seedRows: 5000);
        await using var workload = new Workload(s);
        for (var i = 0; i < 3; i++)
        {
            foreach (var table in new[] { "products", "users", "orders" })
            {
                var result = await s.CheckAsync(table);
                Assert.Equal((0L, 0L, 0L, ""), (result.Missing, result.Extra, result.Mismatched, result.Error));
            }
        }

        Assert.True(workload.Transactions > 20, $"only {workload.Transactions} transactions ran during the checks");
    }

    [Fact]
    public async Task RowsChangedWhileTheSinkIsPausedAreReportedExactlyThenRepaired()
    {
        await using var s = await StreamingAsync(postgres, "paused");
        await s.StopSinkAsync();
        await s.ExecuteAsync("UPDATE products SET price = 1.01 WHERE id = 5");
        await s.ExecuteAsync("DELETE FROM products WHERE id = 6");
        await s.ExecuteAsync("INSERT INTO products (id, name, price) VALUES (5000, 'New while paused', 3.5)");
        await s.ExecuteAsync("UPDATE users SET full_name = 'Jöhn 🚀 Doe' WHERE id = 1");

        var products = await s.CheckAsync("products");
        Assert.Equal(["5:Mismatched", "6:Extra", "5000:Missing"],
            products.Differences.Select(d => $"{d.Key}:{d.Kind}").ToArray());
        var price = Assert.Single(products.Differences[0].Fields, f => f.Field == "price");
        Assert.Equal(("1.01", "2.50"), (price.RowValue, price.DocumentValue));
        var users = await s.CheckAsync("users");
        var name = Assert.Single(Assert.Single(users.Differences).Fields, f => f.Field == "full_name");
        Assert.Equal("Jöhn 🚀 Doe", JsonDocument.Parse(name.RowValue).RootElement.GetString());
        Assert.Equal("John Doe", JsonDocument.Parse(name.DocumentValue).RootElement.GetString());

        var productsRepair = (await s.CheckAsync("products", repair: true)).Repaired;
        Assert.Equal((2L, 1L, 0L), (productsRepair.Indexed, productsRepair.Deleted, productsRepair.Failed));
        Assert.Equal(1L, (await s.CheckAsync("users", repair: true)).Repaired.Indexed);
        foreach (var table in new[] { "products", "users" })
        {
            var after = await s.CheckAsync(table);
            Assert.Equal((0L, 0L, 0L), (after.Missing, after.Extra, after.Mismatched));
        }

        // The sink resumes: its older changes are superseded by nothing newer than the repair, and the copy stays exact.
        s.StartSink();
        await s.AssertConvergesAsync(Converge, "products", "users");
    }

    [Fact]
    public async Task CountAndSampleModesAndKeptResultsNewestFirst()
    {
        await using var s = await StreamingAsync(postgres, "modes");
        await s.SendAsync(HttpMethod.Delete, "products/_doc/10?refresh=true");

        var count = await s.CheckAsync("products", Mode.Count);
        Assert.Equal((103L, 102L, 1L, 0L), (count.RowCount, count.DocumentCount, count.Missing, count.Extra));

        var sample = await s.CheckAsync("products", Mode.Sample, sampleSize: 1000);
        Assert.Equal(103, sample.RowsChecked);
        Assert.Equal("10", Assert.Single(sample.Differences).Key);

        var store = s.Services.GetRequiredService<ResultStore>();
        var kept = await store.ListAsync("public.products", 0, TestContext.Current.CancellationToken);
        Assert.Equal([sample.Id, count.Id], kept.Select(r => r.Id).ToArray());
        Assert.Equal(Mode.Sample, kept[0].Mode);
        Assert.Equal("10", kept[0].Differences.Single().Key);
    }
}
