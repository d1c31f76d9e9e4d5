namespace CdcAspire.Testing.Postgres;

/// <summary>
/// The user's seed schema (../shared/seeds/pg-es-cdc-design.md, "2.2 PostgreSQL 初始化脚本"): users, products, orders
/// with TEXT[], JSONB, NUMERIC(10,2)/(12,2), timestamptz and the updated_at triggers; plus seed rows.
/// </summary>
public static class SeedSchema
{
    /// <summary>The AppHost's <c>postgres-init/01-seed-schema.sql</c>, embedded: tests run the very file deployments run.</summary>
    public static readonly string Ddl = Read("01-seed-schema.sql");

    /// <summary>The AppHost's <c>postgres-init/02-seed-rows.sql</c>.</summary>
    public static readonly string SeedRows = Read("02-seed-rows.sql");

    /// <summary>Tables of the seed schema, in dependency order.</summary>
    public static readonly string[] Tables = ["users", "products", "orders"];

    private static string Read(string file)
    {
        using var stream = typeof(SeedSchema).Assembly.GetManifestResourceStream("postgres-init/" + file)
            ?? throw new InvalidOperationException($"postgres-init/{file} is not embedded in {typeof(SeedSchema).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
