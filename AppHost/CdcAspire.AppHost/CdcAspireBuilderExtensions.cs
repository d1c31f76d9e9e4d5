using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Commands;
using CdcAspire.AppHost.Elasticsearch;
using CdcAspire.AppHost.Kafka;
using CdcAspire.AppHost.Postgres;
using CdcAspire.AppHost.Services;

namespace CdcAspire.AppHost;

/// <summary>
/// The whole model: the stores (containers, or existing servers by connection string), the topology's Kafka part,
/// the four services, the dashboard commands. Settings: <see cref="AppHostSettings"/>.
/// </summary>
public static class CdcAspireBuilderExtensions
{
    public const string ElasticsearchName = "elasticsearch";
    public const string KibanaName = "kibana";
    public const string KafkaName = "kafka";
    public const string ConnectName = "connect";

    public static CdcServices AddCdcAspire(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = AppHostSettings.From(builder.Configuration);
        var connector = ConnectorSettings.Load(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "..", "connectors", ConnectorSettings.DefaultFile)));
        var apiToken = builder.AddGeneratedSecret(SecretParameters.ApiTokenName);
        var dependencies = settings.Servers == Servers.Existing
            ? builder.AddExistingServers(settings)
            : builder.AddContainers(settings, connector);

        var services = builder.AddCdcServices(settings, dependencies, apiToken, connector);
        services.Sink.WithSinkCommands(apiToken);
        services.Dlq.WithDlqCommands(apiToken);
        services.Consistency.WithConsistencyCommands(apiToken, settings.Tables.Keys);
        return services;
    }

    /// <summary>
    /// The user's own servers (and a machine without Docker): <c>ConnectionStrings:appdb</c>,
    /// <c>ConnectionStrings:elasticsearch</c> (and <c>ConnectionStrings:kafka</c> for the Kafka topology, whose
    /// connector the user applies with <c>cdc connector apply</c>) from the AppHost's configuration.
    /// </summary>
    private static ServiceDependencies AddExistingServers(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var database = builder.AddConnectionString(CdcPostgresBuilderExtensions.DatabaseName);
        var elasticsearch = builder.AddConnectionString(ElasticsearchName);
        var kafka = settings.Topology == Topology.Kafka ? builder.AddConnectionString(KafkaName) : null;
        // Nothing to wait for: the servers are not started here, and the services report them unreachable.
        return new ServiceDependencies(database, elasticsearch, kafka, [], []);
    }

    private static ServiceDependencies AddContainers(this IDistributedApplicationBuilder builder, AppHostSettings settings, ConnectorSettings connector)
    {
        var (server, database, replicationPassword) = builder.AddCdcPostgres();
        var elasticsearch = builder.AddCdcElasticsearch(ElasticsearchName);
        elasticsearch.AddCdcKibana(KibanaName, settings.Tables.Values);
        IResourceBuilder<IResource>[] startAfter = [CastTo<IResource>(database), CastTo<IResource>(elasticsearch)];
        if (settings.Topology == Topology.Direct)
        {
            return new ServiceDependencies(CastTo<IResourceWithConnectionString>(database), CastTo<IResourceWithConnectionString>(elasticsearch), null, startAfter, []);
        }

        var kafka = builder.AddCdcKafka(KafkaName);
        var connect = kafka.AddCdcDebeziumConnect(ConnectName, replicationPassword).WaitFor(server);
        // The connector file names the seed's database; here it must reach this model's server and database.
        var postgresSource = connect.AddCdcConnector(connector.Name, connector.Path, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["database.hostname"] = server.Resource.Name,
            ["database.port"] = "5432",
            ["database.dbname"] = CdcPostgresBuilderExtensions.DatabaseName,
            ["database.user"] = CdcPostgresBuilderExtensions.ReplicationUser,
        });
        return new ServiceDependencies(
            CastTo<IResourceWithConnectionString>(database), CastTo<IResourceWithConnectionString>(elasticsearch), CastTo<IResourceWithConnectionString>(kafka),
            [.. startAfter, CastTo<IResource>(kafka)], [CastTo<IResource>(postgresSource)]);
    }

    /// <summary>IResourceBuilder is not covariant; Aspire's own helper for this is internal.</summary>
    private static IResourceBuilder<T> CastTo<T>(IResourceBuilder<T> builder)
        where T : IResource => builder;
}
