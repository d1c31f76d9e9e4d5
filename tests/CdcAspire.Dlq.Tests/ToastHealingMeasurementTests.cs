using System.Diagnostics;
using CdcAspire.Dlq.Tests.Infrastructure;
using CdcAspire.Kafka.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Dlq.Tests;

/// <summary>
/// Issue 11's judged measurement: an independent Debezium-format generator (3,000 events, updates that leave a
/// TOASTed column unchanged arrive with Debezium's placeholder, one SIGKILL of the sink mid-stream). With the DLQ
/// service running, every withheld value is healed from the row by itself: 0 stale documents after catch-up, nobody
/// running a command. Without it the same workload leaves documents stale, which is what the service is for.
/// </summary>
/// <remarks>
/// The generator writes each change to PostgreSQL (the truth) and sends the event Debezium would send for it, with
/// the real LSNs: <c>source.sequence[0]</c> = the previous transaction's commit end, one change per transaction. It
/// plays Debezium's slot too: every 100 events it confirms (<c>pg_replication_slot_advance</c>) up to what it has
/// sent, which is the fence the DLQ's heal waits for.
/// </remarks>
public sealed class ToastHealingMeasurementTests(PostgresFixture postgres)
{
    private const string Placeholder = "__debezium_unavailable_value";
    private const string Table = "items";
    private const string Topic = "cdc.public.items";
    private const int InitialRows = 355;
    private const int Events = 3000;
    private static readonly TimeSpan CatchUp = TimeSpan.FromMinutes(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeThousandEventsWithWithheldToastValuesAndASinkKillEndWithNoStaleDocument()
    {
        using var kafka = new MockKafkaCluster();
        await using var s = await ScenarioAsync(kafka, "toastheal");
        var sink = s.StartSink();
        await s.StartDlqAsync();

        var workload = await GenerateAsync(s, kafka, sink);
        var watch = Stopwatch.StartNew();
        // Caught up: every document equals its row and every dead letter is settled (a letter whose document a later
        // full update already fixed is still healed, i.e. resolved, by the service).
        await s.EventuallyAsync(
            async () => $"{(await s.DifferencesAsync(Table)).Count} stale, dead letters by status: " +
                await s.ScalarAsync<string>("SELECT coalesce(string_agg(status || '=' || n, ', '), 'none') FROM (SELECT status, count(*) n FROM cdc.dead_letters GROUP BY status) q"),
            state => state!.StartsWith("0 stale", StringComparison.Ordinal) && !state.Contains("pending", StringComparison.Ordinal),
            CatchUp, "every document to equal its row and no dead letter to be pending");
        var converged = watch.Elapsed;
        var letters = await s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE error_type = 'unchanged_toast_unresolved'");
        var unresolved = await s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE status <> 'resolved'");
        var rows = await s.ScalarAsync<long>($"SELECT count(*) FROM {Table}");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Events} events ({workload.Placeholders} with the placeholder, sink killed after {workload.KilledAfter}): " +
            $"{letters} unchanged_toast_unresolved dead letters, {unresolved} unresolved, 0 of {rows} documents stale " +
            $"{converged.TotalSeconds:0.0} s after the last event");
        Assert.True(letters > 0, "the workload must produce withheld values the sink cannot resolve, or it measures nothing");
        Assert.Equal(0, unresolved);
        Assert.Empty(await s.DifferencesAsync(Table));
    }

    [Fact]
    public async Task WithoutTheDlqServiceTheSameWorkloadLeavesStaleDocuments()
    {
        using var kafka = new MockKafkaCluster();
        await using var s = await ScenarioAsync(kafka, "toaststale");
        var sink = s.StartSink();

        var workload = await GenerateAsync(s, kafka, sink);
        // Caught up: every event settled (indexed, superseded or dead-lettered) and committed.
        await s.EventuallyAsync(
            async () => await s.ScalarAsync<long>($"SELECT count(*) FROM {Table}") - s.Elasticsearch.GetDocuments(Table).Count,
            missing => missing == 0, CatchUp, "every row to have a document");
        await s.EventuallyAsync(
            () => s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE error_type = 'unchanged_toast_unresolved'"),
            n => n > 0, CatchUp, "the withheld values to be dead-lettered");
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        var stale = (await s.DifferencesAsync(Table)).Count;
        var letters = await s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE error_type = 'unchanged_toast_unresolved'");
        var rows = await s.ScalarAsync<long>($"SELECT count(*) FROM {Table}");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Without the DLQ service: {Events} events ({workload.Placeholders} with the placeholder): {letters} dead letters, {stale} of {rows} documents stale");
        Assert.True(stale > 0, "without healing, documents whose last change was withheld stay at an older state");
    }

    private sealed record Workload(int Placeholders, int KilledAfter);

    /// <summary>The items table (a TOASTable bio), Debezium's slot, the snapshot events, the sink wired for Kafka.</summary>
    private async Task<DlqScenario> ScenarioAsync(MockKafkaCluster kafka, string prefix)
    {
        var s = await DlqScenario.CreateAsync(postgres, prefix);
        await s.ExecuteAsync($"CREATE TABLE {Table} (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL, bio text)");
        await s.ExecuteAsync($"INSERT INTO {Table} SELECT g, 'item ' || g, g % 17, repeat('bio of ' || g || ' ', 400) FROM generate_series(1, {InitialRows}) g");
        var slot = s.Name + "_dbz";
        var snapshotLsn = await s.ScalarAsync<NpgsqlLogSequenceNumber>($"SELECT lsn FROM pg_create_logical_replication_slot('{slot}', 'pgoutput')");
        s.UseKafkaTopology(Table, slot, kafka.BootstrapServers);

        // Debezium's initial snapshot: one read event per row, at the slot's consistent point.
        await using var connection = new NpgsqlConnection(s.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var read = new NpgsqlCommand($"SELECT id, name, qty, bio FROM {Table} ORDER BY id", connection);
        await using var reader = await read.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            var id = reader.GetInt32(0);
            await kafka.ProduceAsync(Topic, Key(id), DebeziumEvents.Change(Table, "r",
                Row(id, reader.GetString(1), reader.GetInt32(2), reader.GetString(3)), (ulong)snapshotLsn, (ulong)snapshotLsn));
        }

        return s;
    }

    /// <summary>
    /// 3,000 changes, each its own transaction: 55 % name-only updates (bio withheld: the placeholder), 25 % updates
    /// that change bio too, 12 % inserts, 8 % deletes (followed by the tombstone). The sink is SIGKILLed halfway and
    /// started again.
    /// </summary>
    private static async Task<Workload> GenerateAsync(DlqScenario s, MockKafkaCluster kafka, CdcAspire.Testing.Processes.SinkProcess sink)
    {
        var random = new Random(20261205);
        var slot = s.Name + "_dbz";
        var alive = Enumerable.Range(1, InitialRows).ToList();
        var nextId = InitialRows + 1;
        var placeholders = 0;
        await using var connection = new NpgsqlConnection(s.ConnectionString);
        await connection.OpenAsync(Ct);
        var lastCommit = (ulong)await ScalarAsync<NpgsqlLogSequenceNumber>(connection, "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", slot);
        for (var i = 0; i < Events; i++)
        {
            var roll = random.NextDouble();
            var id = alive[random.Next(alive.Count)];
            string op;
            IReadOnlyList<Col>? after;
            IReadOnlyList<Col>? before = null;
            if (roll < 0.80)
            {
                var withheld = roll < 0.55;
                var sql = withheld
                    ? $"UPDATE {Table} SET name = $2, qty = qty + 1 WHERE id = $1 RETURNING id, name, qty, bio"
                    : $"UPDATE {Table} SET name = $2, bio = repeat($2 || ' ', 300 + $1 % 50) WHERE id = $1 RETURNING id, name, qty, bio";
                var row = await RowAsync(connection, sql, id, $"v{i}-{id}");
                op = "u";
                after = Row(row.Id, row.Name, row.Qty, withheld ? Placeholder : row.Bio);
                placeholders += withheld ? 1 : 0;
            }
            else if (roll < 0.92)
            {
                id = nextId++;
                var row = await RowAsync(connection, $"INSERT INTO {Table} VALUES ($1, $2, 1, repeat($2 || ' ', 320)) RETURNING id, name, qty, bio", id, $"new{i}");
                alive.Add(id);
                op = "c";
                after = Row(row.Id, row.Name, row.Qty, row.Bio);
            }
            else
            {
                await ScalarAsync<int>(connection, $"DELETE FROM {Table} WHERE id = $1 RETURNING id", id);
                alive.Remove(id);
                op = "d";
                after = null;
                before = [Col.Number("id", id)]; // REPLICA IDENTITY DEFAULT: the key only
            }

            var commit = (ulong)await ScalarAsync<NpgsqlLogSequenceNumber>(connection, "SELECT pg_current_wal_lsn()");
            await kafka.ProduceAsync(Topic, Key(id), DebeziumEvents.Change(Table, op, after, lastCommit, commit, totalOrder: 1, before: before));
            if (op == "d")
            {
                await kafka.ProduceAsync(Topic, Key(id), null); // tombstones.on.delete=true
            }

            lastCommit = commit;
            if (i % 100 == 99)
            {
                // Debezium confirms what it has handed to Kafka: the DLQ's fence.
                await ScalarAsync<object>(connection, "SELECT end_lsn::text FROM pg_replication_slot_advance($1, $2::text::pg_lsn)", slot, new NpgsqlLogSequenceNumber(lastCommit).ToString());
            }

            if (i == Events / 2)
            {
                sink.Kill(); // SIGKILL mid-stream; what it had not committed is redelivered to the next one
                await Task.Delay(TimeSpan.FromSeconds(1), Ct);
                s.StartSink();
            }
        }

        await ScalarAsync<object>(connection, "SELECT end_lsn::text FROM pg_replication_slot_advance($1, $2::text::pg_lsn)", slot, new NpgsqlLogSequenceNumber(lastCommit).ToString());
        return new Workload(placeholders, Events / 2);
    }

    private sealed record ItemRow(int Id, string Name, int Qty, string Bio);

    private static async Task<ItemRow> RowAsync(NpgsqlConnection connection, string sql, int id, string name)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct), $"row {id} not found");
        return new ItemRow(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return (T)(await cmd.ExecuteScalarAsync(Ct))!;
    }

    private static string Key(int id) => DebeziumEvents.Key(id, table: Table);

    private static IReadOnlyList<Col> Row(int id, string name, int qty, string bio) =>
        [Col.Number("id", id), Col.Text("name", name), Col.Number("qty", qty), Col.Text("bio", bio)];
}
