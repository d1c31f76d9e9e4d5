using CdcAspire.Dlq.Tests.Infrastructure;
using CdcAspire.Dlq.V1;

namespace CdcAspire.Dlq.Tests;

/// <summary>What heals without a person: letters the source can heal, transient errors, behind the breaker.</summary>
public sealed class AutomaticTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The dead letter the Kafka topology writes when Debezium withheld an unchanged TOAST value.</summary>
    private const string ToastLetters = """
        INSERT INTO cdc.dead_letters (source, table_name, index_name, document_id, operation, position, version, error_type, error_reason)
        SELECT 'kafka', 'public.products', 'products', id::text, 'index', '0/1:0', 4096, 'unchanged_toast_unresolved',
               'Column description was not sent (unchanged TOAST) and could not be resolved.'
        FROM products
        """;

    [Fact]
    public async Task UnresolvedToastDeadLettersAreHealedFromTheSourceAtOnceWithoutACommand()
    {
        await using var s = await DlqScenario.CreateAsync(postgres, "heal");
        // Only the NOTIFY of the new letters can wake the service this early: its poll is minutes away.
        s.DlqEnvironment["Dlq__PollInterval"] = "00:10:00";
        await s.StartDlqAsync();
        await s.EventuallyAsync(async () => (await s.Client.GetStatsAsync(new GetStatsRequest(), cancellationToken: Ct)).ObservedAt is not null, ok => ok, DlqScenario.Wait, "stats");
        await Task.Delay(500, Ct);

        await s.ExecuteAsync(ToastLetters);

        await s.EventuallyAsync(() => s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE status <> 'resolved'"),
            left => left == 0, TimeSpan.FromSeconds(20), "the letters to be healed");
        Assert.Empty(await s.DifferencesAsync("products"));
        var letter = (await s.ListAsync(new Filter { States = { State.Resolved } })).DeadLetters.First();
        var detail = await s.Client.GetAsync(new GetRequest { Id = letter.Id }, cancellationToken: Ct);
        Assert.Equal("retry", detail.History.Single().Action);
        Assert.Equal(Outcome.Indexed, detail.History.Single().Outcome);
    }

    [Fact]
    public async Task InTheKafkaTopologyAHealWaitsUntilDebeziumHasConfirmedPastTheChange()
    {
        await using var s = await DlqScenario.CreateAsync(postgres, "kafkaheal");
        var slot = s.Name + "_dbz";
        // Debezium's slot: its confirmed_flush_lsn is the fence of the Kafka topology (see VersionFence).
        await s.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{slot}', 'pgoutput')");
        s.Environment["Cdc__Source"] = "kafka";
        s.Environment["Cdc__DebeziumSlotName"] = slot;
        await s.StartDlqAsync();

        // A change Debezium has not confirmed yet: a re-read now could be older than what the stream still brings.
        await s.ExecuteAsync("""
            INSERT INTO cdc.dead_letters (source, table_name, index_name, document_id, operation, position, version, error_type, error_reason)
            SELECT 'kafka', 'public.products', 'products', '2', 'index', 'products/0/7',
                   ((pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint + 4096) * 4096, 'unchanged_toast_unresolved', 'Column description was not sent.'
            """);
        var waiting = await s.EventuallyAsync(
            () => s.ScalarAsync<string>("SELECT history->0->>'detail' FROM cdc.dead_letters"),
            d => d is not null, DlqScenario.Wait, "a first automatic attempt");
        Assert.StartsWith("waiting_for_source", waiting, StringComparison.Ordinal);
        Assert.Null(s.Elasticsearch.GetDocument("products", "2"));
        Assert.Equal(0, await s.ScalarAsync<int>("SELECT attempts FROM cdc.dead_letters"));

        // Debezium moves on past the change: the next retry heals the document from the row.
        await s.ExecuteAsync("INSERT INTO users (username, email) SELECT 'u' || g, 'u' || g || '@example.com' FROM generate_series(1, 200) g");
        await s.ExecuteAsync($"SELECT pg_replication_slot_advance('{slot}', pg_current_wal_lsn())");
        await s.EventuallyAsync(() => s.ScalarAsync<string>("SELECT status FROM cdc.dead_letters"),
            st => st == "resolved", DlqScenario.Wait, "the letter to be healed");
        var document = s.Elasticsearch.GetDocument("products", "2");
        Assert.NotNull(document);
        Assert.Contains("Smart Watch", document.Source, StringComparison.Ordinal);
        await s.ExecuteAsync($"SELECT pg_drop_replication_slot('{slot}')");
    }

    [Fact]
    public async Task TransientErrorsRetryByThemselvesBehindABreakerThatOpensAndClosesAgain()
    {
        await using var s = await DlqScenario.CreateAsync(postgres, "breaker");
        s.DlqEnvironment["Dlq__Breaker__FailureThreshold"] = "2";
        s.DlqEnvironment["Dlq__Breaker__OpenDuration"] = "00:00:02";
        s.DlqEnvironment["Dlq__MaxAttempts"] = "50";
        s.DlqEnvironment["Dlq__BatchSize"] = "1";
        await s.StartDlqAsync();
        s.Elasticsearch.Faults.FailNextRequests(10_000, 503);

        await s.ExecuteAsync("""
            INSERT INTO cdc.dead_letters (source, table_name, index_name, document_id, operation, position, version, error_type, error_reason)
            SELECT 'pgoutput', 'public.products', 'products', id::text, 'index', '0/1:0', 4096, 'http_503', 'Service Unavailable'
            FROM products
            """);

        var open = await s.EventuallyAsync(async () => (await s.Client.GetStatsAsync(new GetStatsRequest(), cancellationToken: Ct)).Breaker,
            b => b?.State == "open", DlqScenario.Wait, "the breaker to open");
        Assert.Contains("503", open.Reason, StringComparison.Ordinal);
        Assert.NotNull(open.RetryAt);
        Assert.Equal(3, (await s.Client.GetStatsAsync(new GetStatsRequest(), cancellationToken: Ct)).ByState["pending"]);

        s.Elasticsearch.Faults.Clear();

        await s.EventuallyAsync(() => s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE status <> 'resolved'"),
            left => left == 0, DlqScenario.Wait, "the letters to be retried once Elasticsearch is back");
        Assert.Empty(await s.DifferencesAsync("products"));
        Assert.Equal("closed", (await s.Client.GetStatsAsync(new GetStatsRequest(), cancellationToken: Ct)).Breaker.State);
        Assert.True(await s.ScalarAsync<long>("SELECT max(attempts)::bigint FROM cdc.dead_letters") >= 1);
    }

    [Fact]
    public async Task ADeadLetterThatKeepsFailingIsArchivedAfterMaxAttemptsAndStaysListable()
    {
        await using var s = await DlqScenario.CreateAsync(postgres, "archive");
        s.DlqEnvironment["Dlq__MaxAttempts"] = "2";
        s.DlqEnvironment["Dlq__Breaker__FailureThreshold"] = "100";
        await s.StartDlqAsync();
        s.Elasticsearch.Faults.RejectItems(i => i.Index == "products", 400, "document_parsing_exception", "failed to parse field [price]");
        await s.ExecuteAsync("""
            INSERT INTO cdc.dead_letters (source, table_name, index_name, document_id, operation, position, version, error_type, error_reason)
            VALUES ('pgoutput', 'public.products', 'products', '1', 'index', '0/1:0', 4096, 'document_parsing_exception', 'failed to parse field [price]')
            """);
        var id = (await s.ListAsync()).DeadLetters.Single().Id;

        var first = await s.ReplayAsync(new Filter { Ids = { id } });
        var second = await s.ReplayAsync(new Filter { Ids = { id } });

        Assert.Equal(0, first.Summary.Archived);
        Assert.Equal(1, second.Summary.Archived);
        var letter = await s.Client.GetAsync(new GetRequest { Id = id }, cancellationToken: Ct);
        Assert.Equal(State.Archived, letter.State);
        Assert.Equal(2, letter.Attempts);
        Assert.Equal(["replay", "replay", "archive"], letter.History.Select(h => h.Action));
        // Archived ones are not replayed by a filter that does not ask for them, but stay listable.
        var third = await s.ReplayAsync(new Filter { Table = "public.products" });
        Assert.Empty(third.Results);
        Assert.Single((await s.ListAsync(new Filter { States = { State.Archived } })).DeadLetters);
    }
}
