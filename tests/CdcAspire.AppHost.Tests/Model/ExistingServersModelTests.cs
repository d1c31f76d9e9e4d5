using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Tests.Infrastructure;

namespace CdcAspire.AppHost.Tests.Model;

/// <summary>The user's own PostgreSQL and Elasticsearch (and machines without Docker): no container at all.</summary>
public sealed class ExistingServersModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoContainersAndTheServicesGetTheGivenConnectionStrings()
    {
        var model = await AppHostModel.BuildAsync(Ct, "CdcAspire:Servers=existing",
            "ConnectionStrings:appdb=Host=db.example;Database=appdb", "ConnectionStrings:elasticsearch=http://es.example:9200");
        Assert.Empty(model.Resources.OfType<ContainerResource>());
        var appdb = model.Get<IResourceWithConnectionString>("appdb");
        Assert.Equal("Host=db.example;Database=appdb", await appdb.GetConnectionStringAsync(Ct));
        Assert.Equal("http://es.example:9200", await model.Get<IResourceWithConnectionString>("elasticsearch").GetConnectionStringAsync(Ct));

        var env = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("sink"), Ct);
        Assert.Equal("{appdb.connectionString}", env["ConnectionStrings__appdb"]);
        Assert.Equal("{elasticsearch.connectionString}", env["ConnectionStrings__elasticsearch"]);
        foreach (var name in new[] { "sink", "dlq", "consistency", "metrics" })
        {
            Assert.Empty(AppHostModel.WaitsFor(model.Get<ProjectResource>(name)));
        }
    }

    [Fact]
    public async Task TheKafkaTopologyAddsOnlyAKafkaConnectionString()
    {
        var model = await AppHostModel.BuildAsync(Ct, "CdcAspire:Servers=existing", "CdcAspire:Topology=kafka",
            "ConnectionStrings:appdb=Host=db;Database=appdb", "ConnectionStrings:elasticsearch=http://es:9200", "ConnectionStrings:kafka=broker:9092");
        Assert.Empty(model.Resources.OfType<ContainerResource>());
        Assert.Equal("broker:9092", await model.Get<IResourceWithConnectionString>("kafka").GetConnectionStringAsync(Ct));
        var env = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("sink"), Ct);
        Assert.Equal("{kafka.connectionString}", env["ConnectionStrings__kafka"]);
        Assert.Equal("kafka", env["Cdc__Source"]);
    }
}
