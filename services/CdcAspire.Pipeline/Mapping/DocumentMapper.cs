using System.Buffers;
using System.Text;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Elasticsearch;

namespace CdcAspire.Pipeline.Mapping;

/// <summary>
/// Turns a change into Elasticsearch actions: one document per row, <c>_id</c> from the key, version from the
/// position. Pure and thread-safe; a change it cannot map becomes a dead letter with the reason, never an exception.
/// </summary>
public sealed class DocumentMapper(IReadOnlyDictionary<TableId, TableMapping> mappings, DeadLetterSource source)
{
    /// <summary>The configured tables and how each becomes documents.</summary>
    public IReadOnlyDictionary<TableId, TableMapping> Mappings => mappings;

    public MappingResult Map(ChangeEvent change)
    {
        if (!mappings.TryGetValue(change.Table, out var mapping))
        {
            return Reject(change, null, null, "unknown_table",
                $"Table {change.Table} is not configured. Add it under Cdc:Tables (and to the connector's table list) or stop sending it.");
        }

        if (change.Kind == ChangeKind.Truncate)
        {
            return new MappingResult([], TruncateIndex: mapping.Index);
        }

        var id = DocumentId.From(change.Key);
        if (!IsValidId(change.Key, id))
        {
            return Reject(change, mapping.Index, id, "invalid_id",
                $"The key of this {change.Table} row gives an empty id or one over {DocumentId.MaxBytes} bytes, which Elasticsearch refuses.");
        }

        long version;
        try
        {
            version = change.Position.ToExternalVersion();
        }
        catch (InvalidOperationException ex)
        {
            // Not a dead letter: every later change would fail the same way. Stop before acknowledging.
            throw new PipelineException(ex.Message, ex);
        }

        if (change.Kind == ChangeKind.Delete)
        {
            return new MappingResult([new IndexAction(WriteOperation.Delete, mapping.Index, id, version, ReadOnlyMemory<byte>.Empty, change.Table, change.Position)]);
        }

        if (change.Row is null)
        {
            return Reject(change, mapping.Index, id, "missing_row", $"A {change.Kind} of {change.Table} arrived without a row image.");
        }

        // The key changed: the document under the old id must go, at the same version (another id), whatever
        // becomes of the new document.
        IndexAction? deleteOld = null;
        if (change.Kind == ChangeKind.Update && change.OldKey is { Count: > 0 } oldKey && DocumentId.From(oldKey) is var oldId && oldId != id)
        {
            deleteOld = new IndexAction(WriteOperation.Delete, mapping.Index, oldId, version, ReadOnlyMemory<byte>.Empty, change.Table, change.Position);
        }

        var unresolved = change.Row.FirstOrDefault(c => c.Unchanged && mapping.Includes(c.Name));
        if (unresolved.Unchanged)
        {
            var rejected = Reject(change, mapping.Index, id, "unchanged_toast_unresolved",
                $"Column {unresolved.Name} was not sent (unchanged TOAST) and could not be resolved; it is never indexed as a placeholder. " +
                "Set REPLICA IDENTITY FULL on the table, or replay this dead letter once the row is readable.");
            return deleteOld is null ? rejected : rejected with { Actions = [deleteOld] };
        }

        var index = new IndexAction(WriteOperation.Index, mapping.Index, id, version, WriteDocument(change.Row, mapping), change.Table, change.Position);
        return new MappingResult(deleteOld is null ? [index] : [deleteOld, index]);
    }

    private static ReadOnlyMemory<byte> WriteDocument(IReadOnlyList<ColumnValue> row, TableMapping mapping)
    {
        var size = 2;
        foreach (var column in row)
        {
            size += column.Name.Length * 3 + column.Json.Length + 4;
        }

        var buffer = new ArrayBufferWriter<byte>(size);
        DocumentWriter.Write(buffer, mapping, new EncodedColumns(row));
        return buffer.WrittenMemory;
    }

    /// <summary>Whether Elasticsearch takes the id a key gives (not empty, at most <see cref="DocumentId.MaxBytes"/> bytes).</summary>
    public static bool IsValidId(IReadOnlyList<string> key, string id) =>
        key.Count > 0 && id.Length > 0 && Encoding.UTF8.GetByteCount(id) <= DocumentId.MaxBytes;

    private MappingResult Reject(ChangeEvent change, string? index, string? id, string type, string reason) =>
        new([], DeadLetter: DeadLetter.Unmappable(source, change, index, id, type, reason));

    /// <summary>Values already encoded as JSON (every source's change event).</summary>
    private readonly struct EncodedColumns(IReadOnlyList<ColumnValue> row) : DocumentWriter.IColumns
    {
        public int Count => row.Count;

        public string NameAt(int index) => row[index].Name;

        public void WriteValue(int index, IBufferWriter<byte> output) => output.Write(row[index].Json.Span);
    }
}
