namespace CdcAspire.Pipeline.Changes;

/// <summary>A source table, schema-qualified. Names are as PostgreSQL stores them (unquoted, case kept).</summary>
public readonly record struct TableId(string Schema, string Name)
{
    /// <summary>Parses <c>schema.table</c> or <c>table</c> (schema <c>public</c>).</summary>
    public static TableId Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? new TableId("public", value) : new TableId(value[..dot], value[(dot + 1)..]);
    }

    public override string ToString() => $"{Schema}.{Name}";
}
