using System.Text.Json;
using CdcAspire.Testing.Postgres;

namespace CdcAspire.Sink.Tests;

/// <summary>Bad input gets a clear message or a dead letter, never a silent loss, and never a leaked secret.</summary>
public sealed class BadInputTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ANewTableWithoutKeyIsRefusedWithTheFixWhileTheOthersStream()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "nokey");
        await s.ExecuteAsync("CREATE TABLE logs (msg text)");
        s.Environment["Cdc__Tables__public.logs__Index"] = "logs";
        s.StartSink();
        var table = await s.EventuallyAsync(
            async () => (await s.StatusAsync())?.GetProperty("tables").EnumerateArray()
                .Where(t => t.GetProperty("table").GetString() == "public.logs" && t.GetProperty("failureReason").GetString() is not null)
                .Select(t => (JsonElement?)t).FirstOrDefault(),
            t => t is not null, Wait, "public.logs reported as refused");
        var reason = table!.Value.GetProperty("failureReason").GetString()!;
        Assert.Equal("Failed", table.Value.GetProperty("phase").GetString());
        Assert.Contains("public.logs", reason, StringComparison.Ordinal);
        Assert.Contains("PRIMARY KEY", reason, StringComparison.Ordinal);
        Assert.Contains("REPLICA IDENTITY", reason, StringComparison.Ordinal);

        // The keyless table stays out of the publication (PostgreSQL would otherwise refuse its UPDATEs), and the
        // others stream: a change made after start arrives.
        await s.ExecuteAsync("UPDATE logs SET msg = 'still writable'");
        await s.ExecuteAsync("UPDATE users SET full_name = 'after refusal' WHERE id = 1");
        await s.AssertConvergesAsync(Wait, SeedSchema.Tables);
        Assert.Equal("Streaming", (await s.StatusAsync())!.Value.GetProperty("phase").GetString());
    }

    [Fact]
    public async Task APublishedTableThatLosesItsKeyStopsThePipelineRatherThanLoseDeletes()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "lostkey");
        await s.ExecuteAsync("CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'a')");
        s.Environment["Cdc__Tables__public.notes__Index"] = "notes";
        var first = s.StartSink();
        await s.AssertConvergesAsync(Wait, "notes");
        await first.StopAsync(TimeSpan.FromSeconds(30));
        await s.ExecuteAsync("ALTER TABLE notes DROP CONSTRAINT notes_pkey");
        s.StartSink();
        var reason = await FailureReasonAsync(s);
        Assert.Contains("public.notes", reason, StringComparison.Ordinal);
        Assert.Contains("already being followed", reason, StringComparison.Ordinal);
        Assert.Contains("Cdc:Tables", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPasswordIsReportedWithoutThePassword()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "pw");
        s.Environment["ConnectionStrings__appdb"] = postgres.Cluster.ConnectionString(s.Name, password: "wrong-pass-hunter2");
        var sink = s.StartSink();
        var reason = await FailureReasonAsync(s);
        Assert.Contains("password", reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ConnectionStrings:appdb", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", sink.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("es-secret", sink.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerWithoutLogicalWalIsRefusedWithTheSetting()
    {
        await using var replica = await PostgresCluster.StartAsync(walLevel: "replica", TestContext.Current.CancellationToken);
        await using var s = await SinkScenario.CreateAsync(postgres, "wal");
        await replica.CreateDatabaseAsync("app", TestContext.Current.CancellationToken);
        await replica.ExecuteAsync("app", SeedSchema.Ddl, TestContext.Current.CancellationToken);
        s.Environment["ConnectionStrings__appdb"] = replica.ConnectionString("app");
        s.StartSink();
        var reason = await FailureReasonAsync(s);
        Assert.Contains("wal_level", reason, StringComparison.Ordinal);
        Assert.Contains("logical", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableElasticsearchHoldsEverythingBackAndCatchesUpWhenItReturns()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "esdown");
        s.Elasticsearch.Faults.FailNextRequests(30, 503);
        s.Environment["Cdc__Writer__InitialRetryDelay"] = "00:00:00.050";
        s.Environment["Cdc__Writer__MaxRetryDelay"] = "00:00:00.200";
        var sink = s.StartSink();
        await s.EventuallyAsync(() => Task.FromResult<string?>(sink.Output), o => o!.Contains("503", StringComparison.Ordinal), Wait, "a logged 503");
        await s.ExecuteAsync(Workload.MultiTableTransaction(1));
        await s.AssertConvergesAsync(Wait);
        Assert.DoesNotContain("es-secret", sink.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADocumentElasticsearchRejectsBecomesADeadLetterAndTheRestFlows()
    {
        await using var s = await SinkScenario.CreateAsync(postgres, "reject");
        s.StartSink();
        await s.AssertConvergesAsync(Wait);
        s.Elasticsearch.Faults.RejectItems(i => i.Index == "products" && i.Id == "2", 400, "document_parsing_exception", "failed to parse field [price]");
        await s.ExecuteAsync("UPDATE products SET price = 5.55 WHERE id IN (1, 2, 3)");
        var letters = await s.EventuallyAsync(
            () => s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE document_id = '2' AND error_type = 'document_parsing_exception'"),
            n => n == 1, Wait, "the dead letter");
        Assert.Equal(1, letters);
        var document = await s.ScalarAsync<string>("SELECT document FROM cdc.dead_letters WHERE document_id = '2'");
        Assert.Contains("5.55", document, StringComparison.Ordinal);
        await s.EventuallyAsync(
            () => Task.FromResult(s.Elasticsearch.GetDocument("products", "3")?.Source),
            src => src!.Contains("5.55", StringComparison.Ordinal), Wait, "product 3 to be indexed");

        // Acknowledged past the dead letter: nothing is redone, and the slot moves on.
        s.Elasticsearch.Faults.Clear();
        await s.ExecuteAsync(Workload.MultiTableTransaction(7));
        await s.AssertConvergesAsync(Wait, "users", "orders");
    }

    private static async Task<string> FailureReasonAsync(SinkScenario s)
    {
        var status = await s.EventuallyAsync(
            s.StatusAsync,
            st => st is { } v && v.GetProperty("phase").GetString() == "Failed",
            Wait, "the pipeline to report a failure");
        return status!.Value.GetProperty("failureReason").GetString()!;
    }
}
