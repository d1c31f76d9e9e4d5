namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>Identifier quoting for the few statements that cannot take parameters (DDL, table names).</summary>
internal static class Sql
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Quote(Changes.TableId table) => Quote(table.Schema) + "." + Quote(table.Name);
}
