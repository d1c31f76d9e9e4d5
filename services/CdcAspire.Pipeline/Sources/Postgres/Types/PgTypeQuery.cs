using Npgsql;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>Reads one <c>pg_type</c> row through a data source or an open connection.</summary>
internal readonly record struct PgTypeQuery(NpgsqlDataSource? DataSource, NpgsqlConnection? Connection)
{
    // typinput = array_in tells a real array from int2vector/oidvector, which have category 'A' and an element
    // type but print as space-separated lists. Names outside pg_catalog are schema-qualified for messages.
    private const string Sql = """
        SELECT CASE WHEN n.nspname = 'pg_catalog' THEN t.typname::text ELSE n.nspname || '.' || t.typname END,
               t.typtype, t.typcategory, t.typdelim, t.typelem, t.typbasetype,
               t.typinput = 'array_in'::regproc AND t.typelem <> 0
        FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE t.oid = $1
        """;

    public async Task<PgTypeRow?> FetchAsync(uint oid, CancellationToken cancellationToken)
    {
        await using var command = DataSource is not null ? DataSource.CreateCommand(Sql) : new NpgsqlCommand(Sql, Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new PgTypeRow(
            reader.GetString(0),
            reader.GetChar(1),
            reader.GetChar(2),
            reader.GetChar(3),
            reader.GetFieldValue<uint>(4),
            reader.GetFieldValue<uint>(5),
            reader.GetBoolean(6));
    }
}
