using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>
/// Creates the publication for exactly the configured tables, or brings an existing one in line (ALTER PUBLICATION
/// ... SET TABLE). The state schema is never in it, so dead letters never loop back into the stream.
/// </summary>
internal static class PublicationManager
{
    /// <summary>
    /// Makes the publication cover exactly <paramref name="tables"/>. Before a table joins it, <paramref name="beforeAdding"/>
    /// is told which tables are joining (so their snapshot progress is forgotten first: changes made while a table
    /// was outside the publication were never streamed, so it needs a new snapshot).
    /// </summary>
    public static async Task EnsureAsync(
        NpgsqlDataSource dataSource, string publication, IReadOnlyList<TableId> tables,
        Func<IReadOnlyCollection<TableId>, Task> beforeAdding, ILogger logger, CancellationToken cancellationToken)
    {
        var list = string.Join(", ", tables.Select(Sql.Quote));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT count(*) FROM pg_publication WHERE pubname = $1", connection))
        {
            exists.Parameters.Add(new() { Value = publication });
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                await beforeAdding(tables);

                // publish_via_partition_root: changes of a partitioned table arrive under the table's own name and
                // key, not under each leaf partition's (PostgreSQL's default), so they map to the configured index.
                await using var create = new NpgsqlCommand(
                    $"CREATE PUBLICATION {Sql.Quote(publication)} FOR TABLE {list} WITH (publish_via_partition_root = true)", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
                Log.PublicationCreated(logger, publication, list);
                return;
            }
        }

        await using (var root = new NpgsqlCommand(
            $"ALTER PUBLICATION {Sql.Quote(publication)} SET (publish_via_partition_root = true)", connection))
        {
            await root.ExecuteNonQueryAsync(cancellationToken);
        }

        var current = await ReadTablesAsync(connection, publication, cancellationToken);
        if (!current.SetEquals(tables))
        {
            await beforeAdding(tables.Where(t => !current.Contains(t)).ToList());
            await using var alter = new NpgsqlCommand($"ALTER PUBLICATION {Sql.Quote(publication)} SET TABLE {list}", connection);
            await alter.ExecuteNonQueryAsync(cancellationToken);
            Log.PublicationUpdated(logger, publication, list);
        }
    }

    /// <summary>The tables the publication covers now; empty when it does not exist yet.</summary>
    public static async Task<HashSet<TableId>> ReadTablesAsync(NpgsqlConnection connection, string publication, CancellationToken cancellationToken)
    {
        var current = new HashSet<TableId>();
        await using var read = new NpgsqlCommand("SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1", connection);
        read.Parameters.Add(new() { Value = publication });
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            current.Add(new TableId(reader.GetString(0), reader.GetString(1)));
        }

        return current;
    }
}
