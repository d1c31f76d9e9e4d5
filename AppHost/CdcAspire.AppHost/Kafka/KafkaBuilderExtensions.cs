using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CdcAspire.AppHost.Kafka;

/// <summary>
/// Kafka (KRaft, one node) and Debezium Connect as small container resources (Aspire.Hosting.Kafka is not served
/// here), and the connector from <c>connectors/</c> applied when Connect is ready.
/// </summary>
public static class KafkaBuilderExtensions
{
    public const string KafkaRegistry = "docker.io";
    public const string KafkaImage = "confluentinc/confluent-local";
    public const string KafkaTag = "8.1.1";
    public const string ConnectRegistry = "quay.io";
    public const string ConnectImage = "debezium/connect";
    public const string ConnectTag = "3.5.2.Final";
    public const int KafkaPort = 9092;
    public const int KafkaInternalPort = 9093;
    public const int ConnectPort = 8083;

    /// <summary>Environment variable of the Connect worker that <c>${env:PG_PASSWORD}</c> in the connector resolves to.</summary>
    public const string ConnectorPasswordVariable = "PG_PASSWORD";

    /// <summary>
    /// confluent-local runs broker and controller in one KRaft process with single-replica internal topics. Listeners:
    /// 9092 for the host (advertised as localhost and the proxied port), 9093 for containers (advertised by name).
    /// </summary>
    public static IResourceBuilder<KafkaResource> AddCdcKafka(this IDistributedApplicationBuilder builder, string name)
    {
        var resource = new KafkaResource(name);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new KafkaApiVersionsHealthCheck(ct => resource.ConnectionStringExpression.GetValueAsync(ct)),
            failureStatus: default,
            tags: default));

        return builder.AddResource(resource)
            .WithImage(KafkaImage, KafkaTag)
            .WithImageRegistry(KafkaRegistry)
            .WithEndpoint(targetPort: KafkaPort, name: KafkaResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: KafkaInternalPort, name: KafkaResource.InternalEndpointName)
            .WithEnvironment(context =>
            {
                var primary = resource.PrimaryEndpoint;
                var env = context.EnvironmentVariables;
                env["KAFKA_LISTENERS"] = "PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:9092,PLAINTEXT_INTERNAL://0.0.0.0:9093";
                env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT";
                env["KAFKA_ADVERTISED_LISTENERS"] = context.ExecutionContext.IsRunMode
                    ? ReferenceExpression.Create(
                        $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://localhost:{primary.Property(EndpointProperty.Port)},PLAINTEXT_INTERNAL://{ContainerAddress.Of(resource.InternalEndpoint, context.ExecutionContext)}")
                    : ReferenceExpression.Create(
                        $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://{primary.Property(EndpointProperty.HostAndPort)},PLAINTEXT_INTERNAL://{resource.InternalEndpoint.Property(EndpointProperty.HostAndPort)}");
            })
            .WithVolume("cdcaspire-kafka-data", "/var/lib/kafka/data")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// Debezium Connect: distributed worker storing its configs, offsets and statuses in Kafka (single-replica
    /// topics), with Kafka's <c>EnvVarConfigProvider</c> so the connector's <c>${env:PG_PASSWORD}</c> comes from the
    /// <paramref name="connectorPassword"/> parameter and never from the connector file or Connect's config topic.
    /// </summary>
    public static IResourceBuilder<DebeziumConnectResource> AddCdcDebeziumConnect(
        this IResourceBuilder<KafkaResource> kafka, string name, IResourceBuilder<ParameterResource> connectorPassword)
    {
        var builder = kafka.ApplicationBuilder;
        return builder.AddResource(new DebeziumConnectResource(name))
            .WithImage(ConnectImage, ConnectTag)
            .WithImageRegistry(ConnectRegistry)
            .WithHttpEndpoint(targetPort: ConnectPort, name: DebeziumConnectResource.HttpEndpointName)
            .WithEnvironment(context =>
            {
                var env = context.EnvironmentVariables;
                env["BOOTSTRAP_SERVERS"] = ContainerAddress.Of(kafka.Resource.InternalEndpoint, context.ExecutionContext);
                env["GROUP_ID"] = "cdcaspire-connect";
                env["CONFIG_STORAGE_TOPIC"] = "cdcaspire_connect_configs";
                env["OFFSET_STORAGE_TOPIC"] = "cdcaspire_connect_offsets";
                env["STATUS_STORAGE_TOPIC"] = "cdcaspire_connect_statuses";
                env["CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR"] = "1";
                env["CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR"] = "1";
                env["CONNECT_STATUS_STORAGE_REPLICATION_FACTOR"] = "1";
                env["CONNECT_CONFIG_PROVIDERS"] = "env";
                env["CONNECT_CONFIG_PROVIDERS_ENV_CLASS"] = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";
                env[ConnectorPasswordVariable] = connectorPassword.Resource;
            })
            .WithHttpHealthCheck("/", endpointName: DebeziumConnectResource.HttpEndpointName)
            .WithParentRelationship(kafka)
            .WaitFor(kafka);
    }

    /// <summary>
    /// The connector in <paramref name="definitionPath"/>, validated and applied (create or update, idempotent) by
    /// the same <c>KafkaConnectClient</c> as <c>cdc connector apply</c> as soon as the worker is ready; its state is
    /// then polled into the dashboard. Dependants that <c>WaitFor</c> it start once the connector is RUNNING. Not in
    /// the manifest: a deployment applies it with <c>cdc connector apply</c>.
    /// </summary>
    public static IResourceBuilder<ConnectorResource> AddCdcConnector(
        this IResourceBuilder<DebeziumConnectResource> connect, string name, string definitionPath, IReadOnlyDictionary<string, string> overrides)
    {
        var resource = new ConnectorResource(name, connect.Resource, definitionPath);
        foreach (var (key, value) in overrides)
        {
            resource.Overrides[key] = value;
        }

        connect.OnResourceReady((_, e, ct) => ConnectorRegistration.ApplyAsync(resource, e.Services, ct));
        return connect.ApplicationBuilder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "DebeziumConnector",
                State = KnownResourceStates.Waiting,
                Properties = [new("connector.file", definitionPath)],
            })
            .WithParentRelationship(connect)
            .ExcludeFromManifest();
    }
}
