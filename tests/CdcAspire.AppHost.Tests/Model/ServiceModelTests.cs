using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Tests.Infrastructure;

namespace CdcAspire.AppHost.Tests.Model;

/// <summary>The four services: endpoints, environment, waits, health, commands (direct topology, containers).</summary>
public sealed class ServiceModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, int, int> Services => new()
    {
        { "sink", 5080, 5081 },
        { "dlq", 5090, 5091 },
        { "consistency", 5100, 5101 },
        { "metrics", 5110, 5111 },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task EachServiceHasItsHttpAndGrpcEndpointsHealthCheckTokenAndTelemetry(string name, int httpPort, int grpcPort)
    {
        var model = await AppHostModel.BuildAsync(Ct);
        var service = model.Get<ProjectResource>(name);
        var endpoints = service.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        Assert.Equal(httpPort, endpoints["http"].Port);
        Assert.Equal(grpcPort, endpoints["grpc"].Port);
        Assert.Equal("http2", endpoints["grpc"].Transport);
        Assert.Contains(service.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
        Assert.Contains(service.Annotations.OfType<OtlpExporterAnnotation>(), _ => true);

        var env = await AppHostModel.EnvironmentAsync(service, Ct);
        Assert.Equal("{api-token.value}", env["Cdc__Api__Token"]);
        // The launch profile's fixed port must not win over the port Aspire allocates behind its proxy.
        Assert.Equal($"{{{name}.bindings.grpc.targetPort}}", env["Cdc__Grpc__Port"]);
        Assert.Equal("{appdb.connectionString}", env["ConnectionStrings__appdb"]);
        Assert.Equal("{elasticsearch.connectionString}", env["ConnectionStrings__elasticsearch"]);
        Assert.Equal("postgres", env["Cdc__Source"]);
        Assert.Equal("users", env["Cdc__Tables__public.users__Index"]);
        Assert.Equal("products", env["Cdc__Tables__public.products__Index"]);
        Assert.Equal("orders", env["Cdc__Tables__public.orders__Index"]);
        Assert.DoesNotContain("ConnectionStrings__kafka", env.Keys);
    }

    [Fact]
    public async Task SinkDlqAndConsistencyWaitForTheStoresAndMetricsWaitsForNothing()
    {
        var model = await AppHostModel.BuildAsync(Ct);
        // Waiting for a database waits for its server too (Aspire adds the edge).
        Assert.Equal(["appdb", "elasticsearch", "postgres"], AppHostModel.WaitsFor(model.Get<ProjectResource>("sink")));
        Assert.Equal(["appdb", "elasticsearch", "postgres"], AppHostModel.WaitsFor(model.Get<ProjectResource>("dlq")));
        Assert.Equal(["appdb", "elasticsearch", "postgres"], AppHostModel.WaitsFor(model.Get<ProjectResource>("consistency")));
        Assert.Empty(AppHostModel.WaitsFor(model.Get<ProjectResource>("metrics")));
    }

    [Fact]
    public async Task MetricsFindsTheOtherServicesByServiceDiscovery()
    {
        var model = await AppHostModel.BuildAsync(Ct);
        var env = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("metrics"), Ct);
        foreach (var service in new[] { "sink", "dlq", "consistency" })
        {
            Assert.Equal($"{{{service}.bindings.grpc.url}}", env[$"services__{service}__grpc__0"]);
            Assert.Equal($"{{{service}.bindings.http.url}}", env[$"services__{service}__http__0"]);
        }

        var consistency = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("consistency"), Ct);
        Assert.Equal("{sink.bindings.grpc.url}", consistency["services__sink__grpc__0"]);
    }

    [Fact]
    public async Task DashboardCommandsSitOnTheServicesAPersonWouldLookAt()
    {
        var model = await AppHostModel.BuildAsync(Ct);
        static IEnumerable<string> Commands(IResource r) => r.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name);
        Assert.Subset(Commands(model.Get<ProjectResource>("sink")).ToHashSet(), new HashSet<string> { "pause", "resume" });
        Assert.Contains("replay-all", Commands(model.Get<ProjectResource>("dlq")));
        Assert.Subset(Commands(model.Get<ProjectResource>("consistency")).ToHashSet(),
            new HashSet<string> { "check", "repair", "resync-public.users", "resync-public.products", "resync-public.orders" });
        var replay = model.Get<ProjectResource>("dlq").Annotations.OfType<ResourceCommandAnnotation>().Single(c => c.Name == "replay-all");
        Assert.False(string.IsNullOrEmpty(replay.ConfirmationMessage));
    }

    [Fact]
    public async Task TablesComeFromConfigurationForServicesCommandsAndDataViews()
    {
        var model = await AppHostModel.BuildAsync(Ct, "CdcAspire:Tables:public.users=people", "CdcAspire:Tables:sales.invoices=invoices");
        var env = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("sink"), Ct);
        Assert.Equal("people", env["Cdc__Tables__public.users__Index"]);
        Assert.Equal("invoices", env["Cdc__Tables__sales.invoices__Index"]);
        Assert.Contains("resync-sales.invoices", model.Get<ProjectResource>("consistency").Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name));
    }
}
