namespace CdcAspire.Pipeline.Changes;

/// <summary>
/// One column of a row image, already encoded as a UTF-8 JSON value (<c>null</c>, a number, a string, an array,
/// an object) by the source's type mapping, so the mapper and writer never look at source types.
/// </summary>
/// <param name="Name">Column name.</param>
/// <param name="Json">The value as UTF-8 JSON; empty when <paramref name="Unchanged"/>.</param>
/// <param name="Unchanged">
/// The source did not send the value because it did not change (pgoutput's unchanged-TOAST marker, Debezium's
/// <c>__debezium_unavailable_value</c>). Never indexed as a value: the source resolves it or the mapper refuses.
/// </param>
public readonly record struct ColumnValue(string Name, ReadOnlyMemory<byte> Json, bool Unchanged = false)
{
    public static readonly ReadOnlyMemory<byte> JsonNull = "null"u8.ToArray();

    public static ColumnValue Null(string name) => new(name, JsonNull);

    public static ColumnValue UnchangedToast(string name) => new(name, ReadOnlyMemory<byte>.Empty, Unchanged: true);
}
