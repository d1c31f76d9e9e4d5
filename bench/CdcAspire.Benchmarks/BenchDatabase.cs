using System.Diagnostics;
using CdcAspire.Testing.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Benchmarks;

/// <summary>
/// One database in the throwaway cluster with the benchmark table and its publication, plus the few SQL helpers the
/// measurements share: create slots, commit a burst, wait for a slot's confirmed position.
/// </summary>
internal sealed class BenchDatabase
{
    public const string Table = "bench_events";
    public const string Publication = "bench_pub";

    private long _nextId;

    private BenchDatabase(PostgresCluster cluster, string name, string connectionString)
    {
        Cluster = cluster;
        Name = name;
        ConnectionString = connectionString;
    }

    public PostgresCluster Cluster { get; }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Creates the database, the table and the publication (before any slot: pgoutput reads it historically).</summary>
    public static async Task<BenchDatabase> CreateAsync(PostgresCluster cluster, string name, bool withSeedTables, CancellationToken ct)
    {
        var cs = await cluster.CreateDatabaseAsync(name, ct);
        var db = new BenchDatabase(cluster, name, cs);
        await db.ExecuteAsync($"""
            CREATE TABLE {Table} (id bigint PRIMARY KEY, payload text, n int, at timestamptz);
            CREATE PUBLICATION {Publication} FOR TABLE {Table};
            """, ct);
        if (withSeedTables)
        {
            // The sink's appsettings.json follows users/products/orders too; empty tables keep its preflight happy.
            await db.ExecuteAsync(SeedSchema.Ddl, ct);
        }

        return db;
    }

    public Task ExecuteAsync(string sql, CancellationToken ct) => Cluster.ExecuteAsync(Name, sql, ct);

    public async Task CreateSlotAsync(string slot, CancellationToken ct) =>
        await ExecuteAsync($"SELECT pg_create_logical_replication_slot('{slot}', 'pgoutput')", ct);

    public async Task DropSlotsAsync(CancellationToken ct) =>
        await ExecuteAsync("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active AND database = current_database()", ct);

    /// <summary>
    /// Marks the table as snapshotted for a slot, so a pipeline started on an existing slot streams from its
    /// confirmed position instead of snapshotting the rows of earlier bursts.
    /// </summary>
    public async Task MarkSnapshotDoneAsync(string slot, CancellationToken ct) =>
        await ExecuteAsync($"""
            INSERT INTO cdc.snapshot_progress (slot_name, table_name, last_key, rows_done, done)
            VALUES ('{slot}', 'public.{Table}', NULL, 0, true)
            ON CONFLICT (slot_name, table_name) DO UPDATE SET done = true
            """, ct);

    /// <summary>
    /// Commits <paramref name="rows"/> new rows in one transaction (one INSERT ... SELECT generate_series). Returns the
    /// WAL insert position taken inside the transaction after the INSERT: every change of the burst is below it and
    /// its commit is above it, so "confirmed_flush_lsn > Mark" means "the burst is acknowledged".
    /// </summary>
    public async Task<Burst> CommitBurstAsync(int rows, CancellationToken ct)
    {
        var first = _nextId + 1;
        _nextId += rows;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO {Table} SELECT g, 'payload-' || g || '-abcdefghijklmnopqrstuvwxyz', (g % 1000)::int, now() FROM generate_series($1::bigint, $2::bigint) g",
            connection, tx))
        {
            insert.Parameters.Add(new() { Value = first });
            insert.Parameters.Add(new() { Value = first + rows - 1 });
            insert.CommandTimeout = 600;
            await insert.ExecuteNonQueryAsync(ct);
        }

        ulong mark;
        await using (var lsn = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()", connection, tx))
        {
            mark = (ulong)(NpgsqlLogSequenceNumber)(await lsn.ExecuteScalarAsync(ct))!;
        }

        var started = Stopwatch.GetTimestamp();
        await tx.CommitAsync(ct);
        return new Burst(rows, mark, started);
    }

    /// <summary>The slot's confirmed_flush_lsn (0 if none).</summary>
    public static async Task<ulong> ConfirmedAsync(NpgsqlConnection connection, string slot, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", connection);
        cmd.Parameters.Add(new() { Value = slot });
        var value = await cmd.ExecuteScalarAsync(ct);
        return value is NpgsqlLogSequenceNumber lsn ? (ulong)lsn : 0;
    }

    /// <summary>Polls (every 2 ms, bounded by <paramref name="timeout"/>) until the slot confirms past the burst; returns the time from the commit.</summary>
    public async Task<TimeSpan> WaitConfirmedAsync(string slot, Burst burst, TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (await ConfirmedAsync(connection, slot, ct) > burst.Mark)
            {
                return Stopwatch.GetElapsedTime(burst.CommitStarted);
            }

            await Task.Delay(2, ct);
        }

        throw new TimeoutException($"Slot {slot} did not confirm past {burst.Mark:X} within {timeout}.");
    }

    /// <summary>Waits (bounded) until a walsender holds the slot, i.e. the reader is streaming.</summary>
    public async Task WaitActiveAsync(string slot, TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT count(*) FROM pg_replication_slots s JOIN pg_stat_replication r ON r.pid = s.active_pid WHERE s.slot_name = $1 AND r.state = 'streaming'",
                connection);
            cmd.Parameters.Add(new() { Value = slot });
            if ((long)(await cmd.ExecuteScalarAsync(ct))! > 0)
            {
                return;
            }

            await Task.Delay(20, ct);
        }

        throw new TimeoutException($"Slot {slot} was not streaming within {timeout}.");
    }
}

/// <summary>A committed burst: its size, the WAL mark between its changes and its commit, and when COMMIT was sent.</summary>
internal sealed record Burst(int Rows, ulong Mark, long CommitStarted);
