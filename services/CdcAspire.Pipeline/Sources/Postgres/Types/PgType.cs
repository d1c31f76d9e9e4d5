namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// What the pipeline needs to know about a PostgreSQL type to turn its text output into JSON: a row of
/// <c>pg_type</c> with domains and array elements already resolved.
/// See https://www.postgresql.org/docs/current/catalog-pg-type.html.
/// </summary>
/// <param name="Oid">The type's OID (pgoutput Relation message column type, or <c>pg_attribute.atttypid</c>).</param>
/// <param name="Name">The type name (<c>typname</c>, schema-qualified outside <c>pg_catalog</c>), for messages.</param>
/// <param name="Category"><c>pg_type.typcategory</c>: <c>A</c> array, <c>N</c> numeric, <c>S</c> string, <c>E</c> enum...</param>
/// <param name="Element">For an array type: its element type (already resolved); otherwise null.</param>
/// <param name="Delimiter">
/// <c>pg_type.typdelim</c>: the separator array_out puts between elements of this type (<c>;</c> for box).
/// </param>
/// <param name="BaseType">
/// For a domain: the non-domain type it is ultimately defined over, whose rules apply to its values; otherwise null.
/// </param>
public sealed record PgType(
    uint Oid,
    string Name,
    char Category,
    PgType? Element = null,
    char Delimiter = ',',
    PgType? BaseType = null)
{
    /// <summary>The type whose rules encode this type's values: the base type of a domain, else this type.</summary>
    public PgType Effective => BaseType ?? this;

    /// <summary>How values of this type become JSON (a domain's comes from its base type).</summary>
    public PgJsonKind Kind => BaseType is not null ? BaseType.Kind : Classify(Oid, Element);

    /// <summary>A type known only by OID: values are kept as JSON strings of their text, which is never lossy.</summary>
    public static PgType Unknown(uint oid) => new(oid, "oid:" + oid.ToString(System.Globalization.CultureInfo.InvariantCulture), 'X');

    private static PgJsonKind Classify(uint oid, PgType? element)
    {
        if (element is not null)
        {
            return PgJsonKind.Array;
        }

        return oid switch
        {
            PgTypeOids.Bool => PgJsonKind.Boolean,
            PgTypeOids.Int2 or PgTypeOids.Int4 or PgTypeOids.Int8 or PgTypeOids.Oid => PgJsonKind.Integral,
            PgTypeOids.Numeric => PgJsonKind.Numeric,
            PgTypeOids.Float4 or PgTypeOids.Float8 => PgJsonKind.FloatingPoint,
            PgTypeOids.TimestampTz => PgJsonKind.TimestampTz,
            PgTypeOids.Timestamp => PgJsonKind.Timestamp,
            PgTypeOids.Date => PgJsonKind.Date,
            PgTypeOids.Json or PgTypeOids.Jsonb => PgJsonKind.Json,
            PgTypeOids.Bytea => PgJsonKind.Bytea,
            _ => PgJsonKind.Text,
        };
    }
}
