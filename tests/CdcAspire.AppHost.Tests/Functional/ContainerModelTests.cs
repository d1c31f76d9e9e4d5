using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using CdcAspire.Metrics.V1;
using Npgsql;

namespace CdcAspire.AppHost.Tests.Functional;

/// <summary>
/// The whole container model (direct topology) started by Aspire: PostgreSQL, Elasticsearch and Kibana in containers
/// and the four services. Needs a healthy container runtime; without one the AppHost never finishes starting
/// (ENVIRONMENT.md), so the test is skipped with the reason printed.
/// </summary>
public sealed class ContainerModelTests
{
    // Pulling postgres, elasticsearch and kibana images the first time takes minutes.
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(15);
    private static readonly string[] Services = ["sink", "dlq", "consistency", "metrics"];

    [Fact]
    public async Task TheContainerModelStartsSyncsARowAndReportsTheChainHealthy()
    {
        var reason = await DockerUnavailableReasonAsync(TestContext.Current.CancellationToken);
        if (reason is not null)
        {
            TestContext.Current.SendDiagnosticMessage("Skipped: " + reason);
            Assert.Skip(reason);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Budget);
        var ct = timeout.Token;

        // Arrange: the AppHost as `dotnet run` starts it (containers, direct topology), fixed secrets, random ports.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CdcAspire_AppHost>(
        [
            .. Infrastructure.AppHostModel.Secrets,
            "CdcAspire:Servers=containers",
            "CdcAspire:Topology=direct",
            "DcpPublisher:RandomizePorts=true",
        ], ct);
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        foreach (var resource in (string[])["elasticsearch", .. Services])
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, ct);
        }

        // Act: a row written through the appdb resource's connection string.
        var appdb = await app.GetConnectionStringAsync("appdb", ct) ?? throw new InvalidOperationException("appdb has no connection string");
        await using (var connection = new NpgsqlConnection(appdb))
        {
            await connection.OpenAsync(ct);
            await using var insert = new NpgsqlCommand("INSERT INTO products (id, name, price) VALUES (9001, 'Synced through Aspire containers', 1.50)", connection);
            await insert.ExecuteNonQueryAsync(ct);
        }

        // Assert: its document in Elasticsearch, read through the elasticsearch resource's connection string.
        var elasticsearch = await app.GetConnectionStringAsync("elasticsearch", ct) ?? throw new InvalidOperationException("elasticsearch has no connection string");
        using var es = ElasticsearchHttp(elasticsearch);
        JsonElement document = default;
        while (true)
        {
            using var response = await es.GetAsync("products/_doc/9001", ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
                break;
            }

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Task.Delay(500, ct);
        }

        Assert.Equal("Synced through Aspire containers", document.GetProperty("_source").GetProperty("name").GetString());

        // And the chain's health as `cdc health` sees it: the metrics service's GetHealth, every component ok.
        var (report, components) = await Infrastructure.ChainHealth.WaitUntilOkAsync(app, TimeSpan.FromMinutes(3), ct);
        TestContext.Current.SendDiagnosticMessage(components);
        Assert.True(report.Status == Status.Ok, "cdc health is not ok:\n" + components);
        foreach (var component in (string[])["postgres", "slot:cdcaspire", "sink", "dlq", "consistency", "elasticsearch"])
        {
            Assert.Equal(Status.Ok, Assert.Single(report.Components, c => c.Name == component).Status);
        }
    }

    /// <summary>An HttpClient for <c>http://elastic:password@host:port</c>, the form the elasticsearch resource gives.</summary>
    private static HttpClient ElasticsearchHttp(string connectionString)
    {
        var uri = new Uri(connectionString);
        var http = new HttpClient { BaseAddress = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Path = "/" }.Uri, Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
        }

        return http;
    }

    private static async Task<string?> DockerUnavailableReasonAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0 ? null : "no healthy container runtime (docker info: " + (await error).Trim().Split('\n')[0] + ")";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "no docker client on PATH";
        }
    }
}
