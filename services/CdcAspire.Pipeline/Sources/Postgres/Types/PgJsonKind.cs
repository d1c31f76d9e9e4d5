namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>How <see cref="PgJsonEncoder"/> turns a value of a type's text output into JSON.</summary>
public enum PgJsonKind
{
    /// <summary>A JSON string of the text exactly as PostgreSQL printed it (the default for anything not listed).</summary>
    Text,

    /// <summary><c>t</c>/<c>f</c> to <c>true</c>/<c>false</c>.</summary>
    Boolean,

    /// <summary>Integers (int2, int4, int8, oid): the printed digits as a JSON number.</summary>
    Integral,

    /// <summary>numeric: the printed digits as a JSON number; NaN and ±Infinity as strings.</summary>
    Numeric,

    /// <summary>float4/float8: the shortest round-trip text as a JSON number; NaN and ±Infinity as strings.</summary>
    FloatingPoint,

    /// <summary>timestamptz: ISO-8601 with <c>T</c> and <c>Z</c> (or the printed offset if it is not zero).</summary>
    TimestampTz,

    /// <summary>timestamp: ISO-8601 with <c>T</c> and no zone.</summary>
    Timestamp,

    /// <summary>date: ISO-8601 calendar date.</summary>
    Date,

    /// <summary>json/jsonb: embedded as JSON, validated and compacted.</summary>
    Json,

    /// <summary>bytea (hex output): base64 string.</summary>
    Bytea,

    /// <summary>An array (array_in/array_out): a JSON array of elements encoded by the element type.</summary>
    Array,
}
