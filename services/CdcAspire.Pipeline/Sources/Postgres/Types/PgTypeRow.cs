namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>The <c>pg_type</c> columns the catalog needs.</summary>
internal sealed record PgTypeRow(
    string Name,
    char TypType,
    char Category,
    char Delimiter,
    uint ElementOid,
    uint BaseTypeOid,
    bool IsArray);
