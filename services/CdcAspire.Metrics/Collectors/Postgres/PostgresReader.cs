using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Metrics.Collectors.Postgres;

/// <summary>The read-only queries against the source database: settings, slots, the publication. One round trip each.</summary>
internal sealed class PostgresReader(NpgsqlDataSource dataSource)
{
    public sealed record Settings(string WalLevel, ulong CurrentLsn, long? MaxSlotWalKeepSize);

    public async Task<Settings> ReadSettingsAsync(CancellationToken cancellationToken)
    {
        // max_slot_wal_keep_size is in MB in pg_settings; -1 means unlimited (PostgreSQL 13+).
        await using var cmd = dataSource.CreateCommand("""
            SELECT current_setting('wal_level'), pg_current_wal_lsn(),
                   (SELECT CASE WHEN setting::bigint < 0 THEN NULL ELSE setting::bigint * 1024 * 1024 END
                      FROM pg_settings WHERE name = 'max_slot_wal_keep_size')
            """);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Settings(
            reader.GetString(0),
            (ulong)reader.GetFieldValue<NpgsqlLogSequenceNumber>(1),
            reader.IsDBNull(2) ? null : reader.GetInt64(2));
    }

    /// <summary>
    /// The logical slots of this database, with the lag measured in the same statement as the current position so
    /// the numbers are those of one moment.
    /// </summary>
    public async Task<IReadOnlyList<SlotRow>> ReadSlotsAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT slot_name::text, active, confirmed_flush_lsn,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint,
                   wal_status, safe_wal_size
              FROM pg_replication_slots
             WHERE slot_type = 'logical' AND database = current_database()
             ORDER BY slot_name
            """);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var slots = new List<SlotRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            slots.Add(new SlotRow(
                reader.GetString(0),
                reader.GetBoolean(1),
                reader.IsDBNull(2) ? null : (ulong)reader.GetFieldValue<NpgsqlLogSequenceNumber>(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5)));
        }

        return slots;
    }

    /// <summary>The publication's tables, or null when there is no such publication.</summary>
    public async Task<IReadOnlyList<string>?> ReadPublicationTablesAsync(string publication, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT p.pubname IS NOT NULL, t.schemaname || '.' || t.tablename
              FROM (SELECT $1::name AS name) q
              LEFT JOIN pg_publication p ON p.pubname = q.name
              LEFT JOIN pg_publication_tables t ON t.pubname = q.name
             ORDER BY 2
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = publication });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var tables = new List<string>();
        var exists = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            exists = reader.GetBoolean(0);
            if (!reader.IsDBNull(1))
            {
                tables.Add(reader.GetString(1));
            }
        }

        return exists ? tables : null;
    }
}
