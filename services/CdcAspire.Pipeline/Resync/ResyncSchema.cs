using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;

namespace CdcAspire.Pipeline.Resync;

/// <summary>
/// <c>{Cdc:StateSchema}.resyncs</c>: how the consistency service and the sink agree on a resync. The service inserts
/// a row (<c>building</c>: write <c>alias</c> also into <c>new_index</c>); the sink's writer takes it up and sets
/// <c>dual_write_confirmed_at</c> once every action it dispatches from then on goes to both; the service snapshots
/// only after that. When the row ends (<c>done</c> or <c>abandoned</c>), the sink stops the dual write and sets
/// <c>released_at</c> once nothing for <c>new_index</c> is in flight any more. At most one <c>building</c> row per alias.
/// </summary>
public static class ResyncSchema
{
    public const string Building = "building";
    public const string Done = "done";
    public const string Abandoned = "abandoned";

    public static string Table(string schema) => Sql.Quote(schema) + ".resyncs";

    /// <summary>The NOTIFY channel the consistency service signals on after each change of the table (the payload is the row id).</summary>
    public static string Channel(string schema) => schema + "_resyncs";

    /// <summary>Wakes the sink's follower at once (it also reads the table every few seconds without it).</summary>
    public static async Task NotifyAsync(NpgsqlDataSource dataSource, string schema, long id, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        cmd.Parameters.Add(new() { Value = Channel(schema) });
        cmd.Parameters.Add(new() { Value = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task EnsureCreatedAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        var t = Table(schema);
        await using var cmd = dataSource.CreateCommand($"""
            CREATE SCHEMA IF NOT EXISTS {Sql.Quote(schema)};
            CREATE TABLE IF NOT EXISTS {t} (
                id                      bigserial PRIMARY KEY,
                table_name              text NOT NULL,
                alias                   text NOT NULL,
                old_index               text NOT NULL,
                new_index               text NOT NULL,
                state                   text NOT NULL DEFAULT 'building',
                keep_old_index          boolean NOT NULL DEFAULT false,
                started_at              timestamptz NOT NULL DEFAULT now(),
                dual_write_confirmed_at timestamptz,
                released_at             timestamptz,
                finished_at             timestamptz,
                detail                  text
            );
            CREATE UNIQUE INDEX IF NOT EXISTS resyncs_one_building ON {t} (alias) WHERE state = 'building';
            """);
        try
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
        {
            // Created concurrently by the other side: what we wanted.
        }
    }
}
