using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using Npgsql;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>
/// Checks, before anything is created, that logical replication can work and that every table can become documents;
/// each refusal says what to change. Returns the tables as the catalog describes them.
/// </summary>
internal static class PostgresPreflight
{
    public static async Task<PreflightResult> CheckAsync(
        PostgresConnections connections, IEnumerable<TableId> tables, PgTypeCatalog types, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(connections, cancellationToken);
        var walLevel = (string?)await Scalar(connection, "SHOW wal_level", cancellationToken);
        if (walLevel != "logical")
        {
            throw new PipelineException(
                $"PostgreSQL at {connections.Description} has wal_level = '{walLevel}'; logical replication needs 'logical'. " +
                "Run ALTER SYSTEM SET wal_level = logical; and restart the server (the AppHost passes -c wal_level=logical).");
        }

        var canReplicate = (bool?)await Scalar(connection,
            "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user", cancellationToken);
        if (canReplicate != true)
        {
            throw new PipelineException(
                $"Role '{connections.UserName}' lacks the REPLICATION attribute needed to read the WAL. " +
                $"As a superuser run: ALTER ROLE \"{connections.UserName}\" REPLICATION; or use a role that has it.");
        }

        // A table that cannot become documents is refused on its own: the caller decides whether the others can go on.
        var followable = new List<SourceTable>();
        var refused = new List<RefusedTable>();
        foreach (var table in tables)
        {
            try
            {
                followable.Add(await DescribeAsync(connection, connections, table, types, cancellationToken));
            }
            catch (PipelineException ex) when (!ex.IsTransient)
            {
                refused.Add(new RefusedTable(table, ex.Message));
            }
        }

        return new PreflightResult(followable, refused);
    }

    /// <summary>One table as the catalog describes it (columns, types, key), or a refusal naming the fix.</summary>
    public static async Task<SourceTable> DescribeAsync(
        NpgsqlConnection connection, PostgresConnections connections, TableId table, PgTypeCatalog types, CancellationToken cancellationToken)
    {
        uint oid;
        char identity;
        long estimated;
        await using (var cmd = new NpgsqlCommand(
            """
            SELECT c.oid, c.relreplident, GREATEST(c.reltuples, 0)::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
            """, connection))
        {
            cmd.Parameters.Add(new() { Value = table.Schema });
            cmd.Parameters.Add(new() { Value = table.Name });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new PipelineException(
                    $"Table {table} (Cdc:Tables:{table}) does not exist in database {connections.Database}. Create it or remove it from Cdc:Tables.");
            }

            oid = reader.GetFieldValue<uint>(0);
            identity = reader.GetChar(1);
            estimated = reader.GetInt64(2);
        }

        var columns = new List<SourceColumn>();
        var byName = new Dictionary<string, SourceColumn>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand(
            """
            SELECT a.attname, a.atttypid, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum
            """, connection))
        {
            cmd.Parameters.Add(new() { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
            var rows = new List<(string Name, uint Type, string Sql)>();
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add((reader.GetString(0), reader.GetFieldValue<uint>(1), reader.GetString(2)));
                }
            }

            foreach (var (name, typeOid, sqlType) in rows)
            {
                var type = types.TryGet(typeOid, out var known) ? known : await types.ResolveAsync(typeOid, connection, cancellationToken);
                var column = new SourceColumn(name, type, sqlType);
                columns.Add(column);
                byName[name] = column;
            }
        }

        // The document id needs a key: the primary key, or the index REPLICA IDENTITY USING INDEX names. pgoutput
        // sends exactly the replica identity's columns for deletes, so the two must agree; FULL works with a primary key.
        var keySql = identity == 'i'
            ? "SELECT a.attname FROM pg_index i JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) ON true JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = $1 AND i.indisreplident ORDER BY k.ord"
            : "SELECT a.attname FROM pg_index i JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) ON true JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.ord";
        var keys = new List<SourceColumn>();
        if (identity != 'n')
        {
            await using var cmd = new NpgsqlCommand(keySql, connection);
            cmd.Parameters.Add(new() { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(byName[reader.GetString(0)]);
            }
        }

        if (keys.Count == 0)
        {
            var why = identity == 'n' ? "its REPLICA IDENTITY is NOTHING" : "it has no primary key";
            throw new PipelineException(
                $"Table {table} cannot be followed: {why}, so its rows have no document id and its updates and deletes cannot be matched. " +
                $"Add a primary key (ALTER TABLE {Sql.Quote(table)} ADD PRIMARY KEY (...)) or ALTER TABLE {Sql.Quote(table)} REPLICA IDENTITY USING INDEX <unique index on NOT NULL columns>.");
        }

        return new SourceTable(table, oid, columns, keys, identity, estimated);
    }

    internal static async Task<NpgsqlConnection> OpenAsync(PostgresConnections connections, CancellationToken cancellationToken)
    {
        try
        {
            return await connections.DataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new PipelineException(
                $"PostgreSQL refused the login of {connections.Description} ({ex.SqlState}: {ex.MessageText}). Check the user and password in ConnectionStrings:appdb.", ex);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            throw new PipelineException($"PostgreSQL at {connections.Description} is unreachable: {ex.Message}", isTransient: true, ex);
        }
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync(cancellationToken);
    }
}
