using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
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
        if (change.Key.Count == 0 || Encoding.UTF8.GetByteCount(id) > DocumentId.MaxBytes || id.Length == 0)
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
        buffer.Write("{"u8);
        var first = true;
        foreach (var column in row)
        {
            if (!mapping.Includes(column.Name))
            {
                continue;
            }

            if (!first)
            {
                buffer.Write(","u8);
            }

            first = false;
            WriteName(buffer, column.Name);
            buffer.Write(column.Json.Span);
        }

        buffer.Write("}"u8);
        return buffer.WrittenMemory;
    }

    // "name": as UTF-8, per column name: encoding it per row and column was a visible share of a profile of wide
    // rows. Bounded by the column names of the followed tables.
    private static readonly ConcurrentDictionary<string, byte[]> EncodedNames = new(StringComparer.Ordinal);

    private static void WriteName(ArrayBufferWriter<byte> buffer, string name) =>
        buffer.Write(EncodedNames.GetOrAdd(name, static n =>
            // Column names are identifiers; encode through the JSON encoder so quotes or backslashes stay valid JSON.
            [.. "\""u8, .. JsonEncodedText.Encode(n, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes, .. "\":"u8]));

    private MappingResult Reject(ChangeEvent change, string? index, string? id, string type, string reason) =>
        new([], DeadLetter: DeadLetter.Unmappable(source, change, index, id, type, reason));
}
