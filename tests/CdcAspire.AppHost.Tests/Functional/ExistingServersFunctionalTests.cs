using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Aspire.Hosting.Testing;
using CdcAspire.Testing.Elasticsearch;
using CdcAspire.Testing.Net;
using CdcAspire.Testing.Postgres;

namespace CdcAspire.AppHost.Tests.Functional;

/// <summary>
/// The AppHost in existing-servers mode, started by DCP (projects run here without Docker): the four services
/// against a throwaway PostgreSQL and the Elasticsearch test server turn healthy and a row reaches its document.
/// </summary>
public sealed class ExistingServersFunctionalTests
{
    [Fact]
    public async Task TheFourServicesStartHealthyAndARowIsSynced()
    {
        var ct = TestContext.Current.CancellationToken;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await using var postgres = await PostgresCluster.StartAsync(cancellationToken: timeout.Token);
        await postgres.CreateDatabaseAsync("appdb", timeout.Token);
        await postgres.ExecuteAsync("appdb", SeedSchema.Ddl + SeedSchema.SeedRows, timeout.Token);
        await using var elasticsearch = await ElasticsearchTestServer.StartAsync(new ElasticsearchTestServerOptions { Port = FreePort.Next() }, timeout.Token);

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CdcAspire_AppHost>(
        [
            .. Infrastructure.AppHostModel.Secrets,
            "CdcAspire:Servers=existing",
            $"ConnectionStrings:appdb={postgres.ConnectionString("appdb")}",
            $"ConnectionStrings:elasticsearch={elasticsearch.Uri}",
            // Other runs on this machine may hold 5080..5111.
            "DcpPublisher:RandomizePorts=true",
        ], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        foreach (var service in new[] { "sink", "dlq", "consistency", "metrics" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        await postgres.ExecuteAsync("appdb", "INSERT INTO products (id, name, price) VALUES (9001, 'Synced through Aspire', 1.50)", timeout.Token);
        while (elasticsearch.GetDocument("products", "9001") is null)
        {
            await Task.Delay(200, timeout.Token);
        }

        Assert.NotNull(elasticsearch.GetDocument("products", "1"));

        // `cdc health` through the metrics service the AppHost started: every configured component ok, the same
        // check the container test ends with.
        var (report, components) = await Infrastructure.ChainHealth.WaitUntilOkAsync(app, TimeSpan.FromMinutes(2), timeout.Token);
        Assert.True(report.Status == CdcAspire.Metrics.V1.Status.Ok, "cdc health is not ok:\n" + components);
        foreach (var component in (string[])["postgres", "slot:cdcaspire", "sink", "dlq", "consistency", "elasticsearch"])
        {
            Assert.Equal(CdcAspire.Metrics.V1.Status.Ok, Assert.Single(report.Components, c => c.Name == component).Status);
        }

        // The dashboard's buttons, executed as the dashboard does: the sink's gRPC API with the api-token parameter.
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var sink = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "sink");
        var paused = await commands.ExecuteCommandAsync(sink, "pause", timeout.Token);
        Assert.True(paused.Success, paused.Message);
        Assert.Equal("Paused.", paused.Message);
        var again = await commands.ExecuteCommandAsync(sink, "pause", timeout.Token);
        Assert.Equal("Already paused.", again.Message);
        var resumed = await commands.ExecuteCommandAsync(sink, "resume", timeout.Token);
        Assert.True(resumed.Success, resumed.Message);
        Assert.Equal("Resumed.", resumed.Message);
    }
}
