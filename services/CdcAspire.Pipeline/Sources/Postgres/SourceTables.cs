using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>
/// The catalog's description of followed tables, for services that read rows outside the replication stream
/// (replay, repair, consistency checks). The same description the sink's preflight uses, so a document written by a
/// replay is byte-for-byte what the stream would have written.
/// </summary>
public static class SourceTables
{
    public static async Task<SourceTable> DescribeAsync(
        PostgresConnections connections, TableId table, PgTypeCatalog types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connections);
        await using var connection = await PostgresPreflight.OpenAsync(connections, cancellationToken);
        return await PostgresPreflight.DescribeAsync(connection, connections, table, types, cancellationToken);
    }
}
