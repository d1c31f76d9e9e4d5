using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Refresh;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using CdcAspire.Pipeline.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
        services.TryAddSingleton(_ => AsSettingError($"ConnectionStrings:{connectionName}", key => new PostgresConnections(
            builder.Configuration.GetConnectionString(connectionName), key)));
        services.TryAddSingleton<PgTypeCatalog>();
        services.TryAddSingleton(sp => new PostgresStateStore(
            sp.GetRequiredService<PostgresConnections>().DataSource, sp.GetRequiredService<CdcOptions>().StateSchema));
        services.TryAddSingleton<IDeadLetterStore>(sp => new PostgresDeadLetterStore(
            sp.GetRequiredService<PostgresConnections>().DataSource, sp.GetRequiredService<CdcOptions>().StateSchema));
        return builder;
    }

    /// <summary>
    /// Elasticsearch from <c>ConnectionStrings:{connectionName}</c> (one URI, several comma-separated URIs, or
    /// <c>CloudId=...;ApiKey=...</c>; see <see cref="ElasticsearchEndpoint"/>): the library's
    /// <see cref="ElasticsearchClient"/> singleton for typed queries, and our <see cref="SearchClusterClient"/> over
    /// the same client (one connection pool) for the pipeline's writes. No HttpClient from the factory is involved, so
    /// the standard resilience handler of ServiceDefaults never stacks a second retry or a shorter timeout on the
    /// bulk path; the writer's own retries are the only ones.
    /// </summary>
    public static IHostApplicationBuilder AddCdcElasticsearch(this IHostApplicationBuilder builder, string connectionName = "elasticsearch")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddCdcOptions();
        var services = builder.Services;
        services.TryAddSingleton(_ => AsSettingError($"ConnectionStrings:{connectionName}", key => ElasticsearchEndpoint.Parse(
            builder.Configuration.GetConnectionString(connectionName), key)));
        services.TryAddSingleton(sp =>
        {
            var writer = sp.GetRequiredService<CdcOptions>().Writer;
            return new ElasticsearchClient(SearchClusterClientFactory.CreateSettings(
                sp.GetRequiredService<ElasticsearchEndpoint>(), writer.RequestTimeout, writer.HttpCompression));
        });
        services.TryAddSingleton(sp => SearchClusterClientFactory.Create(
            sp.GetRequiredService<ElasticsearchClient>(),
            sp.GetRequiredService<ElasticsearchEndpoint>(),
            sp.GetRequiredService<CdcOptions>().Writer.RequestTimeout,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("CdcAspire.Pipeline.Elasticsearch"),
            sp.GetRequiredService<TimeProvider>()));
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
            return new DocumentMapper(TableMapping.FromOptions(options), DeadLetterNames.ParseSource(options.Source));
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

    /// <summary>
    /// A connection string that is missing or malformed is a setting's error: its message (which names the key and
    /// never the secret) becomes an <see cref="OptionsValidationException"/>, which <c>RunServiceAsync</c> prints
    /// before exiting with 1, instead of an unhandled exception with a stack trace.
    /// </summary>
    private static T AsSettingError<T>(string key, Func<string, T> parse)
    {
        try
        {
            return parse(key);
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException(key, typeof(T), [e.Message]);
        }
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
