using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Consistency.Rows;

/// <summary>
/// How one key column is ordered so that PostgreSQL and Elasticsearch list rows and documents in the same order:
/// integers numerically (a numeric field in Elasticsearch), everything else by its text in byte order
/// (<c>COLLATE "C"</c> in PostgreSQL, a keyword field in Elasticsearch).
/// </summary>
public sealed record KeyColumnOrder(SourceColumn Column, bool Numeric)
{
    /// <summary>The ORDER BY / keyset expression for this column.</summary>
    public string SqlExpression => Numeric || IsUuid
        ? Quote(Column.Name)
        : IsCollatable ? $"{Quote(Column.Name)} COLLATE \"C\"" : $"{Quote(Column.Name)}::text COLLATE \"C\"";

    /// <summary>The keyset parameter, cast so the comparison uses the same order as <see cref="SqlExpression"/>.</summary>
    public string SqlParameter(int ordinal) => Numeric || IsUuid
        ? $"${ordinal}::{Column.SqlType}"
        : IsCollatable ? $"${ordinal}::{Column.SqlType} COLLATE \"C\"" : $"${ordinal}::text COLLATE \"C\"";

    // uuid's own order is its bytes', which is the order of its lower-case hex text.
    private bool IsUuid => Column.Type.Effective.Oid == 2950;

    private bool IsCollatable => Column.Type.Effective.Kind == PgJsonKind.Text && Column.Type.Effective.Category == 'S';

    public static KeyColumnOrder For(SourceColumn column) => new(column, column.Type.Effective.Kind == PgJsonKind.Integral);

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Compares two key values of this column in this order.</summary>
    public int Compare(string a, string b) =>
        Numeric && long.TryParse(a, out var x) && long.TryParse(b, out var y) ? x.CompareTo(y) : string.CompareOrdinal(a, b);
}
