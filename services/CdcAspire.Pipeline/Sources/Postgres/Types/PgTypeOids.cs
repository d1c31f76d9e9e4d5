using System.Diagnostics.CodeAnalysis;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// OIDs of the built-in types the encoder treats specially. They are fixed in PostgreSQL's
/// <c>pg_type.dat</c> and identical on every server, so they need no catalog query.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "PostgreSQL's own type names.")]
public static class PgTypeOids
{
    public const uint Bool = 16;
    public const uint Bytea = 17;
    public const uint Int8 = 20;
    public const uint Int2 = 21;
    public const uint Int4 = 23;
    public const uint Text = 25;
    public const uint Oid = 26;
    public const uint Json = 114;
    public const uint Float4 = 700;
    public const uint Float8 = 701;
    public const uint Date = 1082;
    public const uint Timestamp = 1114;
    public const uint TimestampTz = 1184;
    public const uint Numeric = 1700;
    public const uint Jsonb = 3802;
}
