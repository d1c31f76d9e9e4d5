using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Refresh;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using CdcAspire.Pipeline.State;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Writing;
using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CdcAspire.Pipeline.Extensions;

/// <summary>
/// The composition root every CdcAspire service calls, in the shape of eShop's <c>AddNpgsqlDataSource("orderingdb")</c>:
/// the source database with the pipeline's state and dead-letter stores, Elasticsearch, the re-read rule, and (for the
/// sink) the pipeline itself. Each is idempotent, so a service can call the ones it needs in any order. Options come
/// through <see cref="IOptions{TOptions}"/>, validated at start; the topology <c>Cdc:Source</c> selects is a keyed
/// choice (<see cref="CdcTopology"/>, and the keyed <see cref="IChangeSource"/> of the sink), never a string compared
/// in a service.
/// </summary>
public static class CdcHostingExtensions
{
    /// <summary>
    /// The <c>Cdc</c> options (bound, validated at start with messages naming the key) and the topology they select,
    /// the source database from <c>ConnectionStrings:{connectionName}</c>, the type catalog, the state store and the
    /// dead-letter store.
    /// </summary>
    public static IHostApplicationBuilder AddCdcSourceDatabase(this IHostApplicationBuilder builder, string connectionName = "appdb")
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddCdcOptions();
        services.TryAddSingleton(_ => AsSettingError($"ConnectionStrings:{connectionName}", key => new PostgresConnections(
            builder.Configuration.GetConnectionString(connectionName), key)));
        services.TryAddSingleton<PgTypeCatalog>();
        services.TryAddSingleton(sp => new PostgresStateStore(sp.GetRequiredService<PostgresConnections>().DataSource, Cdc(sp).StateSchema));
        services.TryAddSingleton<IDeadLetterStore>(sp => new PostgresDeadLetterStore(sp.GetRequiredService<PostgresConnections>().DataSource, Cdc(sp).StateSchema));
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
            var writer = Cdc(sp).Writer;
            return new ElasticsearchClient(SearchClusterClientFactory.CreateSettings(
                sp.GetRequiredService<ElasticsearchEndpoint>(), writer.RequestTimeout, writer.HttpCompression));
        });
        services.TryAddSingleton(sp => SearchClusterClientFactory.Create(
            sp.GetRequiredService<ElasticsearchClient>(),
            sp.GetRequiredService<ElasticsearchEndpoint>(),
            Cdc(sp).Writer.RequestTimeout,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("CdcAspire.Pipeline.Elasticsearch"),
            sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// The mapper (from <c>Cdc:Tables</c>), the version fence of the selected topology and the
    /// <see cref="CurrentStateWriter"/>: what replay and repair need. Adds the two above with their default names.
    /// </summary>
    public static IHostApplicationBuilder AddCdcCurrentStateWriter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddCdcSourceDatabase();
        builder.AddCdcElasticsearch();
        var services = builder.Services;
        services.TryAddSingleton(sp => new DocumentMapper(TableMapping.FromOptions(Cdc(sp)), sp.GetRequiredService<CdcTopology>().DeadLetters));
        services.TryAddSingleton(sp =>
        {
            var topology = sp.GetRequiredService<CdcTopology>();
            return new VersionFence(sp.GetRequiredService<PostgresConnections>().DataSource, topology.Fence, topology.SlotName);
        });
        services.TryAddSingleton<CurrentStateWriter>();
        return builder;
    }

    /// <summary>
    /// What a service that runs the pipeline needs (the sink): status, metrics and their observer, the one
    /// <see cref="DeadLetterWriter"/>, and the direct source keyed <c>postgres</c>. Sources are scoped: the host opens a
    /// scope per run, resolves the keyed source <c>Cdc:Source</c> names, and disposing the scope disposes the source.
    /// Another source registers itself keyed by its name (e.g. <c>AddKafkaChangeSource</c>) with its settings check
    /// (<see cref="ChangeSourceSettings"/>); at start the selected one must be registered and its settings valid.
    /// Adds the source database and Elasticsearch with their default names.
    /// </summary>
    public static IHostApplicationBuilder AddCdcPipeline(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddCdcSourceDatabase();
        builder.AddCdcElasticsearch();
        var services = builder.Services;
        services.AddMetrics();
        services.TryAddSingleton<PipelineStatus>();
        services.TryAddSingleton<PipelineMetrics>();
        services.TryAddSingleton<PipelineObserver>();

        // One writer for every dead letter of this pipeline, the stream's and a decoder's alike.
        services.TryAddSingleton(sp => new DeadLetterWriter(
            sp.GetRequiredService<IDeadLetterStore>(), sp.GetRequiredService<PipelineObserver>(), Cdc(sp).Writer,
            sp.GetRequiredService<ILogger<DeadLetterWriter>>(), sp.GetRequiredService<CdcTopology>().DeadLetters));
        services.TryAddKeyedScoped<IChangeSource>(SourceNames.Postgres, (sp, _) => new PostgresChangeSource(
            sp.GetRequiredService<PostgresConnections>(), sp.GetRequiredService<PostgresStateStore>(), Cdc(sp),
            sp.GetRequiredService<PipelineStatus>(), sp.GetRequiredService<ILogger<PostgresChangeSource>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CdcOptions>, SelectedSourceValidator>());
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

    private static CdcOptions Cdc(IServiceProvider services) => services.GetRequiredService<IOptions<CdcOptions>>().Value;

    private static void AddCdcOptions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<CdcOptions>) && d.ImplementationType == typeof(CdcOptionsValidator)))
        {
            return;
        }

        services.AddOptions<CdcOptions>().Bind(builder.Configuration.GetSection(CdcOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdcOptions>, CdcOptionsValidator>();

        // The value itself, for the classes of the services that take it; it comes from IOptions, so it is the
        // validated one. New code takes IOptions<CdcOptions>.
        services.TryAddSingleton(Cdc);
        services.TryAddSingleton(TimeProvider.System);

        // The topology, chosen by key: the one place Cdc:Source decides what the services do differently.
        services.TryAddKeyedSingleton(SourceNames.Postgres, (sp, _) => CdcTopology.Postgres(Cdc(sp)));
        services.TryAddKeyedSingleton(SourceNames.Kafka, (sp, _) => CdcTopology.Kafka(Cdc(sp)));
        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<CdcTopology>(Cdc(sp).Source));
    }
}
