using Microsoft.Extensions.Configuration;

namespace CdcAspire.AppHost;

/// <summary>The source topology: the sink reads the WAL itself, or Debezium's events from Kafka (the seed's design).</summary>
public enum Topology
{
    Direct,
    Kafka,
}

/// <summary>Where PostgreSQL and Elasticsearch (and Kafka) come from.</summary>
public enum Servers
{
    /// <summary>Containers started by the AppHost (needs Docker).</summary>
    Containers,

    /// <summary>The user's own servers, given as connection strings (<c>ConnectionStrings:appdb</c>, ...): no Docker.</summary>
    Existing,
}

/// <summary>
/// The AppHost's own settings, from the <c>CdcAspire</c> section (appsettings.json, environment
/// <c>CdcAspire__Topology</c>, or the command line <c>CdcAspire:Topology=kafka</c>). Read once while the model is
/// built: an unknown value stops the AppHost with the key and the allowed values.
/// </summary>
public sealed record AppHostSettings(Topology Topology, Servers Servers, IReadOnlyDictionary<string, string> Tables)
{
    public const string SectionName = "CdcAspire";
    public const string TopologyKey = SectionName + ":Topology";
    public const string ServersKey = SectionName + ":Servers";
    public const string TablesKey = SectionName + ":Tables";

    /// <summary>The seed's tables and their indexes, when <c>CdcAspire:Tables</c> is not set.</summary>
    public static readonly IReadOnlyDictionary<string, string> SeedTables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["public.users"] = "users",
        ["public.products"] = "products",
        ["public.orders"] = "orders",
    };

    public static AppHostSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var topology = Parse(configuration[TopologyKey], TopologyKey, Topology.Direct);
        var servers = Parse(configuration[ServersKey], ServersKey, Servers.Containers);
        var tables = configuration.GetSection(TablesKey).GetChildren()
            .Where(t => !string.IsNullOrWhiteSpace(t.Value))
            .ToDictionary(t => t.Key, t => t.Value!, StringComparer.Ordinal);
        foreach (var (table, _) in tables)
        {
            if (table.Split('.') is not [{ Length: > 0 }, { Length: > 0 }])
            {
                throw new InvalidOperationException(
                    $"{TablesKey}:{table} is not a schema-qualified table name; use e.g. {TablesKey}:public.users=users.");
            }
        }

        return new AppHostSettings(topology, servers, tables.Count == 0 ? SeedTables : tables);
    }

    private static T Parse<T>(string? value, string key, T fallback)
        where T : struct, Enum =>
        string.IsNullOrWhiteSpace(value) ? fallback
        : Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : throw new InvalidOperationException(
            $"{key} = '{value}' is not one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
}
