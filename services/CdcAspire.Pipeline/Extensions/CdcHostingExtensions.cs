using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Refresh;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CdcAspire.Pipeline.Extensions;

/// <summary>
/// The composition root every CdcAspire service calls, in the shape of eShop's <c>AddNpgsqlDataSource("orderingdb")</c>:
/// the source database with the pipeline's state and dead-letter stores, Elasticsearch, and the re-read rule.
/// Each is idempotent, so a service can call the ones it needs in any order.
/// </summary>
public static class CdcHostingExtensions
{
    /// <summary>
    /// The <c>Cdc</c> options (bound, validated at start with messages naming the key), the source database from
    /// <c>ConnectionStrings:{connectionName}</c>, the type catalog, the state store and the dead-letter store.
    /// </summary>
    public static IHostApplicationBuilder AddCdcSourceDatabase(this IHostApplicationBuilder builder, string connectionName = "appdb")
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddCdcOptions();
        services.TryAddSingleton(_ => new PostgresConnections(
            builder.Configuration.GetConnectionString(connectionName), $"ConnectionStrings:{connectionName}"));
        services.TryAddSingleton<PgTypeCatalog>();
        services.TryAddSingleton(sp => new PostgresStateStore(
            sp.GetRequiredService<PostgresConnections>().DataSource, sp.GetRequiredService<CdcOptions>().StateSchema));
        services.TryAddSingleton<IDeadLetterStore>(sp => new PostgresDeadLetterStore(
            sp.GetRequiredService<PostgresConnections>().DataSource, sp.GetRequiredService<CdcOptions>().StateSchema));
        return builder;
    }

    /// <summary>The Elasticsearch client from <c>ConnectionStrings:{connectionName}</c>.</summary>
    public static IHostApplicationBuilder AddCdcElasticsearch(this IHostApplicationBuilder builder, string connectionName = "elasticsearch")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddCdcOptions();
        var services = builder.Services;
        services.TryAddSingleton(_ => ElasticsearchEndpoint.Parse(
            builder.Configuration.GetConnectionString(connectionName), $"ConnectionStrings:{connectionName}"));
        services.AddHttpClient(connectionName, (sp, http) => http.Timeout = sp.GetRequiredService<CdcOptions>().Writer.RequestTimeout);
        services.TryAddSingleton(sp => new ElasticsearchClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(connectionName),
            sp.GetRequiredService<ElasticsearchEndpoint>()));
        return builder;
    }

    /// <summary>
    /// The mapper (from <c>Cdc:Tables</c>), the version fence for the configured topology and the
    /// <see cref="CurrentStateWriter"/>: what replay and repair need. Needs the two above.
    /// </summary>
    public static IHostApplicationBuilder AddCdcCurrentStateWriter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddCdcSourceDatabase();
        builder.AddCdcElasticsearch();
        var services = builder.Services;
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<CdcOptions>();
            return new DocumentMapper(TableMapping.FromOptions(options), options.Source == "kafka" ? "kafka" : "pgoutput");
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<CdcOptions>();
            var dataSource = sp.GetRequiredService<PostgresConnections>().DataSource;
            return options.Source == "kafka"
                ? new VersionFence(dataSource, VersionFenceMode.DebeziumSlot, options.DebeziumSlotName)
                : new VersionFence(dataSource, VersionFenceMode.WalInsertPosition);
        });
        services.TryAddSingleton<CurrentStateWriter>();
        return builder;
    }

    private static void AddCdcOptions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<CdcOptions>)))
        {
            return;
        }

        services.AddOptions<CdcOptions>().Bind(builder.Configuration.GetSection(CdcOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdcOptions>, CdcOptionsValidator>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<CdcOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
    }
}
