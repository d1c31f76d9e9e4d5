using System.Text;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Pipeline.Refresh;

/// <summary>
/// Rewrites documents from their rows' <em>current</em> state, never stale: the version is taken before the read
/// (<see cref="VersionFence"/>), so a change committed after the read still wins, and a row that is gone becomes a
/// delete at that version, so a replay or repair can never resurrect a deleted row, also after
/// <c>index.gc_deletes</c> has passed. The one rule the DLQ's replay, the consistency service's repair and the
/// snapshot share. Documents are made by the same <see cref="DocumentMapper"/> and value encoder as the stream's.
/// </summary>
public sealed class CurrentStateWriter(
    PostgresConnections connections,
    SearchClusterClient elasticsearch,
    DocumentMapper mapper,
    VersionFence fence,
    PgTypeCatalog types)
{
    /// <summary>Ids re-read per query and written per bulk request.</summary>
    public const int BatchSize = 500;

    /// <summary>Rewrites the documents <paramref name="documentIds"/> of <paramref name="table"/>; one result per id, in order.</summary>
    public Task<IReadOnlyList<RefreshResult>> RefreshAsync(
        TableId table, IReadOnlyList<string> documentIds, CancellationToken cancellationToken) =>
        RefreshIntoAsync(table, documentIds, null, cancellationToken);

    /// <summary>
    /// As <see cref="RefreshAsync"/>, into <paramref name="index"/> instead of the table's alias when given (a resync
    /// fills the index it builds behind the alias by the same rule).
    /// </summary>
    public async Task<IReadOnlyList<RefreshResult>> RefreshIntoAsync(
        TableId table, IReadOnlyList<string> documentIds, string? index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        if (!mapper.Mappings.TryGetValue(table, out var mapping))
        {
            throw new PipelineException(
                $"Table {table} is not configured here (Cdc:Tables). Configure it as in the sink, or discard what refers to it.");
        }

        var source = await SourceTables.DescribeAsync(connections, table, types, cancellationToken);
        var results = new List<RefreshResult>(documentIds.Count);
        for (var start = 0; start < documentIds.Count; start += BatchSize)
        {
            var batch = documentIds.Skip(start).Take(BatchSize).ToList();
            results.AddRange(await RefreshBatchAsync(source, mapping, batch, index ?? mapping.Index, cancellationToken));
        }

        return results;
    }

    private async Task<IReadOnlyList<RefreshResult>> RefreshBatchAsync(
        SourceTable source, TableMapping mapping, List<string> ids, string index, CancellationToken cancellationToken)
    {
        var results = new RefreshResult?[ids.Count];
        var keys = new List<(int Slot, string[] Key)>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (DocumentId.Parse(ids[i], source.KeyColumns.Count) is { } key)
            {
                keys.Add((i, key));
            }
            else
            {
                results[i] = new RefreshResult(ids[i], RefreshOutcome.Failed, "invalid_id",
                    $"'{ids[i]}' is not a document id of {source.Id} (its key has {source.KeyColumns.Count} columns).");
            }
        }

        // The fence before the snapshot that reads the rows: see VersionFence.
        var taken = await fence.TakeAsync(cancellationToken);
        var position = new Position(taken.Position.Major == 0 ? 0 : taken.Position.Major - 1, Position.MaxDistinctMinor);
        Dictionary<string, ChangeEvent> rows;
        try
        {
            rows = await ReadRowsAsync(source, keys.Select(k => k.Key).ToList(), position, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            // A key that does not cast to its column's type (a data exception) spoils the whole query: read one by
            // one so the others still go through and the bad ones say why.
            rows = new Dictionary<string, ChangeEvent>(StringComparer.Ordinal);
            foreach (var (slot, key) in keys.ToList())
            {
                try
                {
                    foreach (var (id, change) in await ReadRowsAsync(source, [key], position, cancellationToken))
                    {
                        rows[id] = change;
                    }
                }
                catch (PostgresException one) when (one.SqlState.StartsWith("22", StringComparison.Ordinal))
                {
                    results[slot] = new RefreshResult(ids[slot], RefreshOutcome.Failed, "invalid_id",
                        $"'{ids[slot]}' is not a key of {source.Id}: {one.MessageText}.");
                    keys.Remove((slot, key));
                }
            }
        }

        var actions = new List<(int Slot, IndexAction Action)>();
        foreach (var (slot, key) in keys)
        {
            var id = ids[slot];
            if (rows.TryGetValue(DocumentId.From(key), out var change))
            {
                var mapped = mapper.Map(change);
                if (mapped.DeadLetter is { } rejected)
                {
                    results[slot] = new RefreshResult(id, RefreshOutcome.Failed, rejected.ErrorType, rejected.ErrorReason);
                    continue;
                }

                actions.Add((slot, mapped.Actions[^1] with { Index = index }));
            }
            else
            {
                actions.Add((slot, new IndexAction(WriteOperation.Delete, index, id, position.ToExternalVersion(), ReadOnlyMemory<byte>.Empty, source.Id, position)));
            }
        }

        if (actions.Count > 0)
        {
            var outcomes = await elasticsearch.BulkAsync(actions.Select(a => a.Action).ToList(), cancellationToken);
            for (var i = 0; i < actions.Count; i++)
            {
                var (slot, action) = actions[i];
                var outcome = outcomes[i];
                results[slot] = outcome.Status switch
                {
                    BulkItemStatus.Applied when action.Operation == WriteOperation.Delete => new RefreshResult(ids[slot], RefreshOutcome.Deleted),
                    BulkItemStatus.Applied => new RefreshResult(ids[slot], RefreshOutcome.Indexed),
                    BulkItemStatus.Superseded => new RefreshResult(ids[slot], RefreshOutcome.Superseded),
                    BulkItemStatus.Retry => new RefreshResult(ids[slot], RefreshOutcome.Failed,
                        outcome.ErrorType ?? $"http_{outcome.HttpStatus}", outcome.ErrorReason ?? "Elasticsearch asked to retry this item later.", Transient: true),
                    _ => new RefreshResult(ids[slot], RefreshOutcome.Failed, outcome.ErrorType, outcome.ErrorReason),
                };
            }
        }

        return results.Select(r => r!).ToList();
    }

    /// <summary>The current rows for <paramref name="keys"/>, by document id, read in one snapshot.</summary>
    private async Task<Dictionary<string, ChangeEvent>> ReadRowsAsync(
        SourceTable source, List<string[]> keys, Position position, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ChangeEvent>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return found;
        }

        // SELECT cols FROM t JOIN unnest($1::text[], $2::text[]) k(c0, c1) ON (t.k0, t.k1) = (k.c0::type0, k.c1::type1):
        // the key text cast back to each key column's type, so the comparison is the type's own equality.
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", source.Columns.Select(c => "t." + Sql.Quote(c.Name)));
        sql.Append(" FROM ").Append(Sql.Quote(source.Id)).Append(" t JOIN unnest(");
        sql.AppendJoin(", ", source.KeyColumns.Select((_, i) => $"${i + 1}::text[]"));
        sql.Append(") k(").AppendJoin(", ", source.KeyColumns.Select((_, i) => $"c{i}")).Append(") ON (");
        sql.AppendJoin(", ", source.KeyColumns.Select(c => "t." + Sql.Quote(c.Name))).Append(") = (");
        sql.AppendJoin(", ", source.KeyColumns.Select((c, i) => $"k.c{i}::{c.SqlType}")).Append(')');

        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(sql.ToString(), connection);
        for (var k = 0; k < source.KeyColumns.Count; k++)
        {
            var column = k;
            cmd.Parameters.Add(new NpgsqlParameter
            {
                Value = keys.Select(key => key[column]).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            });
        }

        // Text result format: every value as its type's output function prints it, the same text pgoutput sends.
        cmd.AllResultTypesAreUnknown = true;
        var columns = source.Columns.ToList();
        var keyIndexes = source.KeyColumns.Select(c => columns.IndexOf(c)).ToArray();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new ColumnValue[columns.Count];
            var texts = new string?[columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                texts[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
                row[i] = PgJsonEncoder.ToColumnValue(columns[i].Name, columns[i].Type, texts[i]);
            }

            var key = keyIndexes.Select(i => texts[i] ?? string.Empty).ToArray();
            found[DocumentId.From(key)] = new ChangeEvent(source.Id, ChangeKind.Snapshot, position, key, row);
        }

        return found;
    }
}
