using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Elasticsearch;
using CdcAspire.AppHost.Tests.Infrastructure;

namespace CdcAspire.AppHost.Tests.Model;

/// <summary>The default model (containers, direct topology), built but not started.</summary>
public sealed class DirectTopologyModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryResourceOfTheDirectTopologyIsThereAndNoKafka()
    {
        var model = await AppHostModel.BuildAsync(Ct);
        var names = model.Resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(names, new HashSet<string>(StringComparer.Ordinal)
        {
            "postgres", "appdb", "elasticsearch", "kibana", "sink", "dlq", "consistency", "metrics",
            "api-token", "replication-password", "elastic-password", "kibana-password", "postgres-password",
        });
        Assert.DoesNotContain("kafka", names);
        Assert.DoesNotContain("connect", names);
        Assert.DoesNotContain("postgres-source", names);
    }

    [Fact]
    public async Task PostgresIsLogicalWithVolumeInitFilesAndTheReplicationPassword()
    {
        var model = await AppHostModel.BuildAsync(Ct);
        var postgres = model.Get<PostgresServerResource>("postgres");
        var image = Assert.Single(postgres.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("library/postgres", image.Image);
        Assert.Equal("docker.io", image.Registry);
        Assert.False(string.IsNullOrEmpty(image.Tag));

        var args = await AppHostModel.ArgumentsAsync(postgres, Ct);
        Assert.Equal(["-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10"], args);

        var volume = Assert.Single(postgres.Annotations.OfType<ContainerMountAnnotation>(), m => m.Type == ContainerMountType.Volume);
        Assert.Equal("cdcaspire-postgres-data", volume.Source);
        // Run mode copies the init folder into the container (WithInitFiles).
        Assert.Contains(postgres.Annotations, a => a.GetType().Name == "ContainerFileSystemCallbackAnnotation");

        var env = await AppHostModel.EnvironmentAsync(postgres, Ct);
        Assert.Equal("appdb", env["POSTGRES_DB"]);
        Assert.Equal("{replication-password.value}", env["CDC_REPLICATION_PASSWORD"]);
        Assert.Equal("{postgres-password.value}", env["POSTGRES_PASSWORD"]);
        Assert.Equal("appdb", model.Get<PostgresDatabaseResource>("appdb").DatabaseName);
    }

    [Fact]
    public async Task ElasticsearchIsASecuredSingleNodeWithItsPasswordVolumeAndHealthCheck()
    {
        var model = await AppHostModel.BuildAsync(Ct);
        var es = model.Get<ElasticsearchResource>("elasticsearch");
        var image = Assert.Single(es.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.elastic.co", "elasticsearch/elasticsearch", "8.17.3"), (image.Registry, image.Image, image.Tag));

        var env = await AppHostModel.EnvironmentAsync(es, Ct);
        Assert.Equal("single-node", env["discovery.type"]);
        Assert.Equal("true", env["xpack.security.enabled"]);
        Assert.Equal("{elastic-password.value}", env["ELASTIC_PASSWORD"]);
        Assert.Contains(es.Annotations.OfType<ContainerMountAnnotation>(), m => m.Type == ContainerMountType.Volume && m.Target == "/usr/share/elasticsearch/data");
        Assert.Contains(es.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "elasticsearch_check");
        Assert.Equal(9200, es.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").TargetPort);
        // The services parse this form (ElasticsearchEndpoint.Parse).
        Assert.Equal("http://elastic:{elastic-password.value}@{elasticsearch.bindings.http.host}:{elasticsearch.bindings.http.port}", es.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task KibanaWaitsForElasticsearchAndConnectsAsKibanaSystem()
    {
        var model = await AppHostModel.BuildAsync(Ct);
        var kibana = model.Get<KibanaResource>("kibana");
        var image = Assert.Single(kibana.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.elastic.co", "kibana/kibana", "8.17.3"), (image.Registry, image.Image, image.Tag));
        Assert.Equal(["elasticsearch"], AppHostModel.WaitsFor(kibana));
        var env = await AppHostModel.EnvironmentAsync(kibana, Ct);
        Assert.Equal("kibana_system", env["ELASTICSEARCH_USERNAME"]);
        Assert.Equal("{kibana-password.value}", env["ELASTICSEARCH_PASSWORD"]);
        Assert.Equal("http://{elasticsearch.bindings.http.host}:{elasticsearch.bindings.http.port}", env["ELASTICSEARCH_HOSTS"]);
        Assert.Contains(kibana.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
    }

    [Fact]
    public async Task EverySecretIsASecretParameter()
    {
        var model = await AppHostModel.BuildAsync(Ct);
        foreach (var name in new[] { "api-token", "postgres-password", "replication-password", "elastic-password", "kibana-password" })
        {
            Assert.True(model.Get<ParameterResource>(name).Secret, name);
        }
    }
}
