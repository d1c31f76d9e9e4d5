using System.Globalization;
using System.Net.Http.Json;
using CdcAspire.Metrics.Tests.Infrastructure;
using CdcAspire.Metrics.V1;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Metrics.Tests;

/// <summary>
/// The metrics service watched by a real Prometheus: the rules (test copy, shortened for:) fire on what really
/// happens in the chain and clear on recovery, and the numbers are PostgreSQL's and the services' own.
/// </summary>
public sealed class ChainAlertTests(ChainFixture chain) : IClassFixture<ChainFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AStoppedSinkMakesTheSlotInactiveAndTheLagGrowUntilTheAlertsFireAndRecoveryClearsThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await SinkStreamingAsync(ct);
        Assert.DoesNotContain(await FiringAsync(ct), a => a.Name is "CdcSinkDown" or "CdcReplicationSlotInactive" or "CdcReplicationLag");

        await chain.StopSinkAsync();
        using var writes = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = WriteContinuouslyAsync(writes.Token);
        try
        {
            await AlertsFireAsync(ct, "CdcSinkDown", "CdcReplicationSlotInactive", "CdcReplicationLag");
            var firing = await FiringAsync(ct);
            Assert.Contains(firing, a => a.Name == "CdcReplicationSlotInactive" && a.Labels["slot"] == ChainFixture.Slot);
            Assert.Contains(firing, a => a.Name == "CdcReplicationLag" && a.Labels["slot"] == ChainFixture.Slot);

            // The retained WAL keeps growing while nobody reads the slot.
            var before = await SlotValueAsync("cdc_slot_lag_bytes", ct);
            await Eventually.TrueAsync(async () => await SlotValueAsync("cdc_slot_lag_bytes", ct) > before, Wait,
                () => $"cdc_slot_lag_bytes to grow beyond {before}\n{chain.Logs}", ct);
            Assert.True(await SlotValueAsync("cdc_slot_lag_seconds", ct) > PrometheusServer.TestLagSeconds);

            var report = await chain.NextReportAsync(ct);
            Assert.Equal(Status.Down, report.Status);
            var sink = Assert.Single(report.Components, c => c.Name == "sink");
            Assert.Equal(Status.Down, sink.Status);
            Assert.NotEmpty(sink.Fix);
            var slot = Assert.Single(report.Components, c => c.Name == "slot:" + ChainFixture.Slot);
            Assert.Equal(Status.Degraded, slot.Status);
            Assert.Contains("inactive", slot.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await writes.CancelAsync();
            await writer;
        }

        chain.StartSink();
        await SinkStreamingAsync(ct);
        await AlertsClearAsync(ct, "CdcSinkDown", "CdcReplicationSlotInactive", "CdcReplicationLag");
    }

    [Fact]
    public async Task ADeadLetterBacklogRaisesItsAlertWithTheDlqServicesNumberAndClearsWhenItIsGone()
    {
        var ct = TestContext.Current.CancellationToken;
        chain.Fakes.Dlq.OldestAge = TimeSpan.FromMinutes(7);
        chain.Fakes.Dlq.Pending = 1500;
        try
        {
            await AlertsFireAsync(ct, "CdcDeadLetterBacklog");
            var pending = Assert.Single(await chain.Prometheus.QueryAsync("cdc_dlq_pending", ct));
            Assert.Equal(1500, pending.Value);
            var age = Assert.Single(await chain.Prometheus.QueryAsync("cdc_dlq_oldest_pending_age_seconds", ct));
            Assert.Equal(420, age.Value);

            var report = await chain.NextReportAsync(ct);
            Assert.Equal(1500, report.Metrics.DlqPending);
            var dlq = Assert.Single(report.Components, c => c.Name == "dlq");
            Assert.Equal(Status.Degraded, dlq.Status);
            Assert.Contains("1500 dead letters pending", dlq.Reason, StringComparison.Ordinal);
            Assert.Contains("cdc dlq replay", dlq.Fix, StringComparison.Ordinal);
        }
        finally
        {
            chain.Fakes.Dlq.Pending = 0;
        }

        await AlertsClearAsync(ct, "CdcDeadLetterBacklog");
        var cleared = await chain.NextReportAsync(ct);
        Assert.Equal(Status.Ok, Assert.Single(cleared.Components, c => c.Name == "dlq").Status);
    }

    [Fact]
    public async Task AConsistencyDifferenceRaisesItsAlertForThatTableAndClearsAfterARepair()
    {
        var ct = TestContext.Current.CancellationToken;
        chain.Fakes.Consistency.SetLastChecks(("public.orders", 2, 0, 1), ("public.users", 0, 0, 0));
        try
        {
            await AlertsFireAsync(ct, "CdcDataInconsistency");
            var firing = (await FiringAsync(ct)).Where(a => a.Name == "CdcDataInconsistency").ToList();
            Assert.Equal("public.orders", Assert.Single(firing).Labels["table"]);
            var sum = Assert.Single(await chain.Prometheus.QueryAsync("sum by (table) (cdc_consistency_differences{table=\"public.orders\"})", ct));
            Assert.Equal(3, sum.Value);

            var report = await chain.NextReportAsync(ct);
            var orders = Assert.Single(report.Metrics.Differences, d => d.Table == "public.orders");
            Assert.Equal((2, 0, 1), (orders.Missing, orders.Extra, orders.Mismatched));
            var consistency = Assert.Single(report.Components, c => c.Name == "consistency");
            Assert.Equal(Status.Degraded, consistency.Status);
            Assert.Contains("public.orders: 2 missing", consistency.Reason, StringComparison.Ordinal);
        }
        finally
        {
            chain.Fakes.Consistency.SetLastChecks(("public.orders", 0, 0, 0), ("public.users", 0, 0, 0));
        }

        await AlertsClearAsync(ct, "CdcDataInconsistency");
    }

    [Fact]
    public async Task SlotNumbersEqualPgReplicationSlotsAtTheSameMoment()
    {
        var ct = TestContext.Current.CancellationToken;
        await SinkStreamingAsync(ct);
        // Only a reading taken while the WAL stood still is "the same moment": retried until one is.
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var before = await ReadSlotAsync(ct);
            var report = await chain.NextReportAsync(ct);
            var scraped = await ScrapeAsync(ct);
            var after = await ReadSlotAsync(ct);
            if (before != after)
            {
                continue;
            }

            var slot = Assert.Single(report.Metrics.Slots, s => s.Slot == ChainFixture.Slot);
            Assert.Equal(after.Confirmed, slot.ConfirmedFlushLsn);
            Assert.Equal(after.LagBytes, slot.LagBytes);
            Assert.Equal(after.Active, slot.Active);
            Assert.Equal(after.WalStatus, slot.WalStatus);
            Assert.Equal(after.SafeWalSize, slot.SafeWalSize);
            Assert.Equal(1L << 30, report.Metrics.Postgres.MaxSlotWalKeepSize);
            Assert.Equal(after.Current, report.Metrics.Postgres.CurrentWalLsn);
            Assert.Equal("logical", report.Metrics.Postgres.WalLevel);
            Assert.Equal(["public.orders", "public.products", "public.users"], report.Metrics.Postgres.PublicationTables);
            // /metrics exports the same reading.
            Assert.Contains($"cdc_slot_lag_bytes{{otel_scope_name=\"CdcAspire.Metrics\",slot=\"{ChainFixture.Slot}\"}} {after.LagBytes}", scraped, StringComparison.Ordinal);
            Assert.Contains($"cdc_slot_active{{otel_scope_name=\"CdcAspire.Metrics\",slot=\"{ChainFixture.Slot}\"}} {(after.Active ? 1 : 0)}", scraped, StringComparison.Ordinal);
            Assert.Contains($"cdc_slot_safe_wal_size_bytes{{otel_scope_name=\"CdcAspire.Metrics\",slot=\"{ChainFixture.Slot}\"}} {after.SafeWalSize}", scraped, StringComparison.Ordinal);
            Assert.Contains($"cdc_postgres_max_slot_wal_keep_size_bytes{{otel_scope_name=\"CdcAspire.Metrics\"}} {1L << 30}", scraped, StringComparison.Ordinal);
            return;
        }

        Assert.Fail("The WAL never stood still for one collection in 30 attempts.\n" + chain.Logs);
    }

    [Fact]
    public async Task ElasticsearchIsOkAndItsDocumentAndIndexingNumbersEqualTheIndexStatsEndToEnd()
    {
        var ct = TestContext.Current.CancellationToken;
        await SinkStreamingAsync(ct);
        var name = "es" + Guid.NewGuid().ToString("N")[..8];
        await chain.Postgres.ExecuteAsync(ChainFixture.Database, $"INSERT INTO users (username, email) VALUES ('{name}', '{name}@example.com')", ct);

        // Quiet moment: the users index as Elasticsearch itself reports it, equal before and after one reading.
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var before = await IndexStatsAsync("users", ct);
            var report = await chain.NextReportAsync(ct);
            var after = await IndexStatsAsync("users", ct);
            var rows = await CountRowsAsync("users", ct);
            if (before != after || after.Docs != rows)
            {
                // Not settled yet (the row is still on its way, or the index not refreshed): read again.
                await Task.Delay(300, ct);
                continue;
            }

            var es = report.Metrics.Elasticsearch;
            Assert.True(es.Up);
            Assert.Equal(Status.Ok, Assert.Single(report.Components, c => c.Name == "elasticsearch").Status);
            // Reported under the sink's alias (users), not the index behind it (users-v1), so series survive a resync.
            Assert.Equal(after.Docs, es.DocCounts["users"]);
            Assert.Equal(after.IndexTotal, es.IndexingTotal["users"]);
            Assert.True(after.IndexTotal >= rows, $"index_total {after.IndexTotal} counts every indexed row ({rows})");

            // The same numbers through a real scrape, under the documented metric names.
            await Eventually.TrueAsync(async () =>
                (await chain.Prometheus.QueryAsync($"cdc_elasticsearch_docs{{index=\"users\"}}", ct)) is [var docs] && docs.Value == after.Docs
                && (await chain.Prometheus.QueryAsync($"cdc_elasticsearch_indexing_total{{index=\"users\"}}", ct)) is [var total] && total.Value == after.IndexTotal
                && (await chain.Prometheus.QueryAsync("cdc_elasticsearch_up", ct)) is [var up] && up.Value == 1,
                Wait, () => $"Prometheus to show users docs {after.Docs} and index_total {after.IndexTotal}\n{chain.Logs}", ct);
            return;
        }

        Assert.Fail("The users index never stood still at the table's row count for one collection in 30 attempts.\n" + chain.Logs);
    }

    [Fact]
    public async Task SinkCountersEqualTheSinksOwnStatusAtTheSameMoment()
    {
        var ct = TestContext.Current.CancellationToken;
        await SinkStreamingAsync(ct);
        await chain.Postgres.ExecuteAsync(ChainFixture.Database, "INSERT INTO orders (user_id, total_amount) VALUES (1, 10.00)", ct);

        // The sink's own /status, equal before and after one reading of the metrics service, is "the same moment".
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var before = await SinkCountersAsync(ct);
            var report = await chain.NextReportAsync(ct);
            var after = await SinkCountersAsync(ct);
            if (before != after || after.Contains("public.orders:0/", StringComparison.Ordinal))
            {
                await Task.Delay(300, ct);
                continue;
            }

            var sink = Assert.Single(report.Metrics.Sinks);
            Assert.True(sink.Up);
            var seen = string.Join(' ', sink.Tables.OrderBy(t => t.Table, StringComparer.Ordinal)
                .Select(t => $"{t.Table}:{t.Received}/{t.Indexed}/{t.Deleted}/{t.Superseded}/{t.DeadLettered}"));
            Assert.Equal(after, seen);
            return;
        }

        Assert.Fail("The sink's counters never stood still for one collection in 30 attempts.\n" + chain.Logs);
    }

    /// <summary>The sink's GET /status counters per table as "table:received/indexed/deleted/superseded/dead_lettered".</summary>
    private async Task<string> SinkCountersAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var status = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri(chain.Sink!.Address, "status"), ct);
        return string.Join(' ', status.GetProperty("tables").EnumerateArray()
            .Select(t => (Table: t.GetProperty("table").GetString()!, T: t))
            .OrderBy(t => t.Table, StringComparer.Ordinal)
            .Select(t => $"{t.Table}:{t.T.GetProperty("received").GetInt64()}/{t.T.GetProperty("indexed").GetInt64()}/{t.T.GetProperty("deleted").GetInt64()}/{t.T.GetProperty("superseded").GetInt64()}/{t.T.GetProperty("deadLettered").GetInt64()}"));
    }

    /// <summary>One concrete index's numbers; <paramref name="Index"/> is the index behind the name asked for (an alias resolves to it).</summary>
    private sealed record IndexReading(string Index, long Docs, long IndexTotal);

    /// <summary>GET {index}/_stats straight from the (test) Elasticsearch server, as an operator would.</summary>
    private async Task<IndexReading> IndexStatsAsync(string index, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = chain.Elasticsearch.Uri, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ChainFixture.ElasticsearchUser + ":" + ChainFixture.ElasticsearchPassword)));
        var doc = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"{index}/_stats/docs,indexing", ct);
        // The sink may write through an alias (users -> users-v1): _stats answers per concrete index, as the probe reads it.
        var concrete = Assert.Single(doc.GetProperty("indices").EnumerateObject());
        var primaries = concrete.Value.GetProperty("primaries");
        return new IndexReading(
            concrete.Name,
            primaries.GetProperty("docs").GetProperty("count").GetInt64(),
            primaries.GetProperty("indexing").GetProperty("index_total").GetInt64());
    }

    private async Task<long> CountRowsAsync(string table, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(chain.Postgres.ConnectionString(ChainFixture.Database));
        await connection.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private sealed record SlotReading(string Current, string Confirmed, long LagBytes, bool Active, string WalStatus, long SafeWalSize);

    private async Task<SlotReading> ReadSlotAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(chain.Postgres.ConnectionString(ChainFixture.Database));
        await connection.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT pg_current_wal_lsn(), confirmed_flush_lsn, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, active, wal_status, safe_wal_size
              FROM pg_replication_slots WHERE slot_name = $1
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = ChainFixture.Slot });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        Assert.True(await reader.ReadAsync(ct), "slot not found");
        return new SlotReading(
            reader.GetFieldValue<NpgsqlLogSequenceNumber>(0).ToString(),
            reader.GetFieldValue<NpgsqlLogSequenceNumber>(1).ToString(),
            reader.GetInt64(2),
            reader.GetBoolean(3),
            reader.GetString(4),
            reader.GetInt64(5));
    }

    private async Task<string> ScrapeAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(new Uri(chain.MetricsHttp, "metrics"), ct);
    }

    private async Task SinkStreamingAsync(CancellationToken ct)
    {
        HealthReport? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await chain.NextReportAsync(ct);
            return last.Metrics.Sinks.Any(s => s.Up && s.Phase == "streaming")
                && last.Metrics.Slots.Any(s => s.Slot == ChainFixture.Slot && s.Active);
        }, Wait, () => $"the sink streaming and its slot active; last report: {last}\n{chain.Logs}", ct);
    }

    private async Task<double> SlotValueAsync(string metric, CancellationToken ct)
    {
        var result = await chain.Prometheus.QueryAsync($"{metric}{{slot=\"{ChainFixture.Slot}\"}}", ct);
        return Assert.Single(result).Value;
    }

    private async Task<IReadOnlyList<PrometheusServer.Alert>> FiringAsync(CancellationToken ct) =>
        (await chain.Prometheus.AlertsAsync(ct)).Where(a => a.State == "firing").ToList();

    private async Task AlertsFireAsync(CancellationToken ct, params string[] names)
    {
        IReadOnlyList<PrometheusServer.Alert> firing = [];
        await Eventually.TrueAsync(async () =>
        {
            firing = await FiringAsync(ct);
            return names.All(n => firing.Any(a => a.Name == n));
        }, Wait, () => $"{string.Join(", ", names)} firing; firing now: {string.Join(", ", firing.Select(a => a.Name))}\n{chain.Logs}", ct);
    }

    private async Task AlertsClearAsync(CancellationToken ct, params string[] names)
    {
        IReadOnlyList<PrometheusServer.Alert> alerts = [];
        await Eventually.TrueAsync(async () =>
        {
            alerts = await chain.Prometheus.AlertsAsync(ct);
            return !alerts.Any(a => names.Contains(a.Name));
        }, Wait, () => $"{string.Join(", ", names)} cleared; still: {string.Join(", ", alerts.Select(a => a.Name + "/" + a.State))}\n{chain.Logs}", ct);
    }

    /// <summary>Small transactions every 200 ms: the WAL grows as in a live database while the sink is away.</summary>
    private async Task WriteContinuouslyAsync(CancellationToken ct)
    {
        var i = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await chain.Postgres.ExecuteAsync(ChainFixture.Database,
                    $"INSERT INTO users (username, email) VALUES ('m{i}', 'm{i}-{Guid.NewGuid():N}@example.com')", ct);
                i++;
                await Task.Delay(200, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by the test.
        }
    }
}
