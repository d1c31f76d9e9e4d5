using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Kafka;
using CdcAspire.AppHost.Tests.Infrastructure;

namespace CdcAspire.AppHost.Tests.Model;

/// <summary>The seed's design: Debezium Connect reads the WAL into Kafka, the sink reads Kafka.</summary>
public sealed class KafkaTopologyModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<DistributedApplicationModel> BuildAsync() => AppHostModel.BuildAsync(Ct, "CdcAspire:Topology=kafka");

    [Fact]
    public async Task KafkaIsOneKRaftNodeWithAHostAndAContainerListener()
    {
        var model = await BuildAsync();
        var kafka = model.Get<KafkaResource>("kafka");
        var image = Assert.Single(kafka.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.io", "confluentinc/confluent-local", "8.1.1"), (image.Registry, image.Image, image.Tag));
        var endpoints = kafka.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name, e => e.TargetPort);
        Assert.Equal(9092, endpoints["tcp"]);
        Assert.Equal(9093, endpoints["internal"]);
        Assert.Contains(kafka.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "kafka_check");
        Assert.Equal("{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port}", kafka.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task ConnectIsDebeziumWithTheEnvConfigProviderAndTheReplicationPassword()
    {
        var model = await BuildAsync();
        var connect = model.Get<DebeziumConnectResource>("connect");
        var image = Assert.Single(connect.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("quay.io", "debezium/connect"), (image.Registry, image.Image));
        Assert.StartsWith("3.", image.Tag, StringComparison.Ordinal);
        Assert.Equal(["kafka", "postgres"], AppHostModel.WaitsFor(connect));
        Assert.Contains(connect.Annotations.OfType<HealthCheckAnnotation>(), _ => true);

        var env = await AppHostModel.EnvironmentAsync(connect, Ct);
        Assert.Equal("env", env["CONNECT_CONFIG_PROVIDERS"]);
        Assert.Equal("org.apache.kafka.common.config.provider.EnvVarConfigProvider", env["CONNECT_CONFIG_PROVIDERS_ENV_CLASS"]);
        // The connector file says ${env:PG_PASSWORD}; the worker gets the replication role's parameter under that name.
        Assert.Equal("{replication-password.value}", env["PG_PASSWORD"]);
        foreach (var required in new[] { "GROUP_ID", "CONFIG_STORAGE_TOPIC", "OFFSET_STORAGE_TOPIC", "STATUS_STORAGE_TOPIC" })
        {
            Assert.False(string.IsNullOrEmpty(env[required]), required);
        }
    }

    [Fact]
    public async Task TheConnectorFromConnectorsFolderIsAResourceTheSinkWaitsFor()
    {
        var model = await BuildAsync();
        var connector = model.Get<ConnectorResource>("postgres-source");
        Assert.Same(model.Get<DebeziumConnectResource>("connect"), connector.Parent);
        Assert.EndsWith(Path.Combine("connectors", "postgres-source.json"), connector.DefinitionPath, StringComparison.Ordinal);
        Assert.Equal("postgres", connector.Overrides["database.hostname"]);
        Assert.Equal("appdb", connector.Overrides["database.dbname"]);
        Assert.Equal("cdc_replication", connector.Overrides["database.user"]);
        Assert.DoesNotContain("database.password", connector.Overrides.Keys);

        Assert.Equal(["appdb", "connect", "elasticsearch", "kafka", "postgres", "postgres-source"], AppHostModel.WaitsFor(model.Get<ProjectResource>("sink")));
        Assert.Equal(["appdb", "elasticsearch", "kafka", "postgres"], AppHostModel.WaitsFor(model.Get<ProjectResource>("dlq")));
    }

    [Fact]
    public async Task TheSinkReadsKafkaWithTheConnectorsTopicPrefixAndSlot()
    {
        var model = await BuildAsync();
        var env = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("sink"), Ct);
        Assert.Equal("kafka", env["Cdc__Source"]);
        Assert.Equal("{kafka.connectionString}", env["ConnectionStrings__kafka"]);
        Assert.Equal("cdc", env["Cdc__Kafka__TopicPrefix"]);
        Assert.Equal("cdc_debezium", env["Cdc__DebeziumSlotName"]);
        // Replay and repair fence versions by Debezium's slot in this topology.
        var dlq = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("dlq"), Ct);
        Assert.Equal("kafka", dlq["Cdc__Source"]);
    }
}
