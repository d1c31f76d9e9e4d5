using System.Text;
using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Pipeline.Tests.Types;

/// <summary>
/// Shorthands for the tests. Every input string in these tests is what a PostgreSQL 15 server printed with
/// DateStyle=ISO, MDY, TimeZone=UTC, IntervalStyle=iso_8601, extra_float_digits=3, bytea_output=hex.
/// </summary>
internal static class Pg
{
    public static PgType Type(uint oid) =>
        PgTypeCatalog.GetBuiltIn(oid) ?? throw new InvalidOperationException($"OID {oid} is not built in.");

    public static string Json(uint oid, string? text) => Json(Type(oid), text);

    public static string Json(PgType type, string? text) => Encoding.UTF8.GetString(PgJsonEncoder.Encode(type, text));
}
