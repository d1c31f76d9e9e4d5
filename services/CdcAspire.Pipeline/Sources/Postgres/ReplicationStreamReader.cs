using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>
/// Turns pgoutput messages into changes and checkpoints. Positions: the transaction's commit LSN (known from
/// BEGIN's final LSN) and the change's index inside the transaction; the checkpoint after COMMIT is the commit's end
/// LSN, the value PostgreSQL expects as the confirmed flush position. Values are copied out of Npgsql's reused
/// buffers before the next message is read.
/// https://www.postgresql.org/docs/current/protocol-logicalrep-message-formats.html
/// </summary>
internal sealed class ReplicationStreamReader(
    NpgsqlDataSource dataSource,
    PgTypeCatalog types,
    IReadOnlyDictionary<TableId, SourceTable> tables,
    string heartbeatPrefix)
{
    private readonly Dictionary<uint, RelationInfo> _relations = [];
    private readonly ToastResolver _toast = new(dataSource);

    public async IAsyncEnumerable<SourceItem> ReadAsync(
        LogicalReplicationConnection replication,
        string slot,
        string publication,
        ulong startLsn,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new PgOutputReplicationOptions(publication, PgOutputProtocolVersion.V1, binary: false, messages: true);
        ulong commitLsn = 0;
        uint sequence = 0;
        DateTimeOffset? commitTime = null;
        await foreach (var message in replication.StartReplication(
            new PgOutputReplicationSlot(slot), options, cancellationToken, new NpgsqlLogSequenceNumber(startLsn)))
        {
            switch (message)
            {
                case BeginMessage begin:
                    commitLsn = (ulong)begin.TransactionFinalLsn;
                    commitTime = begin.TransactionCommitTimestamp;
                    sequence = 0;
                    break;
                case RelationMessage relation:
                    await RememberAsync(relation, cancellationToken);
                    break;
                case InsertMessage insert:
                {
                    var rel = _relations[insert.Relation.RelationId];
                    var (row, texts) = await ReadTupleAsync(insert.NewRow, rel, cancellationToken);
                    yield return new ChangeEvent(rel.Table, ChangeKind.Insert, new Position(commitLsn, ++sequence), KeyOf(rel, texts), row, null, commitTime);
                    break;
                }

                case UpdateMessage update:
                {
                    var change = await ReadUpdateAsync(update, new Position(commitLsn, ++sequence), commitTime, cancellationToken);
                    if (change is not null)
                    {
                        yield return change;
                    }

                    break;
                }

                case KeyDeleteMessage delete:
                {
                    var rel = _relations[delete.Relation.RelationId];
                    var (_, texts) = await ReadTupleAsync(delete.Key, rel, cancellationToken);
                    yield return new ChangeEvent(rel.Table, ChangeKind.Delete, new Position(commitLsn, ++sequence), KeyOf(rel, texts), null, null, commitTime);
                    break;
                }

                case FullDeleteMessage delete:
                {
                    var rel = _relations[delete.Relation.RelationId];
                    var (_, texts) = await ReadTupleAsync(delete.OldRow, rel, cancellationToken);
                    yield return new ChangeEvent(rel.Table, ChangeKind.Delete, new Position(commitLsn, ++sequence), KeyOf(rel, texts), null, null, commitTime);
                    break;
                }

                case TruncateMessage truncate:
                    foreach (var relation in truncate.Relations)
                    {
                        var rel = _relations[relation.RelationId];
                        yield return new ChangeEvent(rel.Table, ChangeKind.Truncate, new Position(commitLsn, ++sequence), [], null, null, commitTime);
                    }

                    break;
                case CommitMessage commit:
                    yield return new LsnCheckpoint((ulong)commit.TransactionEndLsn) { CommitTime = commit.TransactionCommitTimestamp };
                    break;
                // Flags bit 0 = transactional; only a non-transactional message marks a point between transactions.
                case LogicalDecodingMessage decodingMessage when decodingMessage.Prefix == heartbeatPrefix && (decodingMessage.Flags & 1) == 0:
                    // A non-transactional heartbeat: every transaction that committed before it has been sent, so its
                    // LSN is safe to confirm once they are settled, and the slot moves on even if our tables are idle.
                    yield return new LsnCheckpoint((ulong)decodingMessage.MessageLsn);
                    break;
            }
        }
    }

    private async Task<ChangeEvent?> ReadUpdateAsync(UpdateMessage update, Position position, DateTimeOffset? commitTime, CancellationToken cancellationToken)
    {
        var rel = _relations[update.Relation.RelationId];
        ColumnValue[]? oldRow = null;
        string?[]? oldTexts = null;
        switch (update)
        {
            case FullUpdateMessage full:
                (oldRow, oldTexts) = await ReadTupleAsync(full.OldRow, rel, cancellationToken);
                break;
            case IndexUpdateMessage index:
                (_, oldTexts) = await ReadTupleAsync(index.Key, rel, cancellationToken);
                break;
        }

        var (row, texts) = await ReadTupleAsync(update.NewRow, rel, cancellationToken);
        var key = KeyOf(rel, texts);
        var resolved = Array.Exists(row, c => c.Unchanged)
            ? await _toast.ResolveAsync(rel, row, oldRow, key, cancellationToken)
            : row;
        var oldKey = oldTexts is null ? null : KeyOf(rel, oldTexts);
        if (resolved is null)
        {
            // The row is gone, so a delete of its current key follows with a higher version. If this update moved
            // the key, the document under the old key must still go: that delete is not coming later.
            return oldKey is not null && !oldKey.SequenceEqual(key)
                ? new ChangeEvent(rel.Table, ChangeKind.Delete, position, oldKey, null, null, commitTime)
                : null;
        }

        return new ChangeEvent(rel.Table, ChangeKind.Update, position, key, resolved, oldKey, commitTime);
    }

    private static string[] KeyOf(RelationInfo relation, string?[] texts)
    {
        var key = new string[relation.KeyIndexes.Length];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = texts[relation.KeyIndexes[i]] ?? string.Empty;
        }

        return key;
    }

    private static async Task<(ColumnValue[] Row, string?[] Texts)> ReadTupleAsync(ReplicationTuple tuple, RelationInfo relation, CancellationToken cancellationToken)
    {
        var row = new ColumnValue[relation.Names.Length];
        var texts = new string?[row.Length];

        // The whole row's JSON values go into one buffer (one allocation per row, not one per value); the columns
        // are slices of it, taken once the row is complete.
        var buffer = new ArrayBufferWriter<byte>(64 * row.Length);
        using var json = new Utf8JsonWriter(buffer, PgJsonEncoder.WriterOptions with { SkipValidation = true });
        var ends = new int[row.Length];
        var i = 0;
        await foreach (var value in tuple)
        {
            switch (value.Kind)
            {
                case TupleDataKind.Null:
                    row[i] = ColumnValue.Null(relation.Names[i]);
                    break;
                case TupleDataKind.UnchangedToastedValue:
                    row[i] = ColumnValue.UnchangedToast(relation.Names[i]);
                    break;
                default:
                    var text = await value.Get<string>(cancellationToken);
                    texts[i] = text;
                    PgJsonEncoder.Write(json, relation.Types[i], text);
                    json.Flush();
                    json.Reset(buffer);
                    break;
            }

            ends[i] = buffer.WrittenCount;
            i++;
        }

        var written = buffer.WrittenMemory;
        var start = 0;
        for (var c = 0; c < row.Length; c++)
        {
            if (texts[c] is not null)
            {
                row[c] = new ColumnValue(relation.Names[c], written[start..ends[c]]);
            }

            start = ends[c];
        }

        return (row, texts);
    }

    private async Task RememberAsync(RelationMessage relation, CancellationToken cancellationToken)
    {
        var table = new TableId(relation.Namespace, relation.RelationName);
        var count = relation.Columns.Count;
        var names = new string[count];
        var columnTypes = new PgType[count];
        var keys = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var column = relation.Columns[i];
            names[i] = column.ColumnName;
            columnTypes[i] = types.TryGet(column.DataTypeId, out var known)
                ? known
                : await types.ResolveAsync(column.DataTypeId, dataSource, cancellationToken);
            if ((column.Flags & RelationMessage.Column.ColumnFlags.PartOfKey) != 0)
            {
                keys.Add(i);
            }
        }

        tables.TryGetValue(table, out var catalog);

        // pgoutput flags the replica identity's columns; the catalog's key (primary key) orders them for the id.
        var keyIndexes = catalog is null
            ? keys.ToArray()
            : catalog.KeyColumns.Select(k => Array.IndexOf(names, k.Name)).Where(i => i >= 0).ToArray();
        _relations[relation.RelationId] = new RelationInfo(relation.RelationId, table, names, columnTypes, keyIndexes.Length > 0 ? keyIndexes : keys.ToArray(), catalog);
    }
}
