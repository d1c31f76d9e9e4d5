using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Sources.Postgres;

namespace CdcAspire.Consistency.Rows;

/// <summary>A table being checked: the catalog's description, the sink's mapping, and the key order both sides use.</summary>
public sealed class CheckedTable
{
    public CheckedTable(SourceTable source, TableMapping mapping)
    {
        Source = source;
        Mapping = mapping;
        KeyOrder = [.. source.KeyColumns.Select(KeyColumnOrder.For)];
        KeyIndexes = [.. source.KeyColumns.Select(k => source.Columns.ToList().IndexOf(k))];
        FieldNames = DocumentWriter.FieldNames(mapping, source.Columns.Select(c => c.Name));
    }

    public SourceTable Source { get; }

    public TableMapping Mapping { get; }

    public TableId Id => Source.Id;

    public IReadOnlyList<KeyColumnOrder> KeyOrder { get; }

    /// <summary>Where each key column sits among <see cref="SourceTable.Columns"/>.</summary>
    public int[] KeyIndexes { get; }

    /// <summary>Each column's field name in the document, null where the mapping leaves it out (see <see cref="DocumentWriter"/>).</summary>
    public byte[]?[] FieldNames { get; }

    /// <summary>The key values a document id stands for, or null when the id cannot be one of this table's.</summary>
    public string[]? KeyOf(string documentId) => DocumentId.Parse(documentId, KeyOrder.Count);

    /// <summary>Compares two keys in the check's order.</summary>
    public int CompareKeys(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        for (var i = 0; i < KeyOrder.Count; i++)
        {
            var c = KeyOrder[i].Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }
}
