using CdcAspire.Testing.KafkaConnect;
using System.Net.Sockets;
using CdcAspire.Kafka.Tests.Infrastructure;
using CdcAspire.KafkaConnect;

namespace CdcAspire.Kafka.Tests.Connect;

public sealed class KafkaConnectClientTests : IAsyncLifetime
{
    private readonly CollectingLogger<KafkaConnectClient> logs = new();
    private KafkaConnectDouble worker = null!;
    private HttpClient http = null!;

    private KafkaConnectClient Client(int maxAttempts = 8) =>
        new(http, logs, new KafkaConnectClientOptions { MaxAttempts = maxAttempts, InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100) });

    private static ConnectorDefinition Postgres(string host = "postgres") => new("pg-source", new Dictionary<string, string>
    {
        ["connector.class"] = "io.debezium.connector.postgresql.PostgresConnector",
        ["database.hostname"] = host,
        ["database.password"] = "s3cr3t-plain",
        ["topic.prefix"] = "cdc",
    });

    public async ValueTask InitializeAsync()
    {
        worker = await KafkaConnectDouble.StartAsync();
        http = new HttpClient { BaseAddress = worker.Url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await worker.DisposeAsync();
    }

    [Fact]
    public async Task ApplyCreatesTheConnectorThenUpdatesItInPlace()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ApplyOutcome.Created, await Client().ApplyAsync(Postgres(), ct));
        Assert.Equal(ApplyOutcome.Updated, await Client().ApplyAsync(Postgres("postgres-2"), ct));

        var stored = Assert.Single(worker.Connectors);
        Assert.Equal("postgres-2", stored.Value["database.hostname"]);
        Assert.Contains("PUT /connector-plugins/io.debezium.connector.postgresql.PostgresConnector/config/validate", worker.Requests);
    }

    [Fact]
    public async Task InvalidConfigIsReportedByFieldAndNothingIsCreated()
    {
        var ex = await Assert.ThrowsAsync<KafkaConnectException>(() => Client().ApplyAsync(Postgres(host: ""), TestContext.Current.CancellationToken));

        Assert.False(ex.IsTransient);
        var errors = Assert.Single(ex.Validation!.Errors);
        Assert.Equal("database.hostname", errors.Key);
        Assert.Contains("Missing required configuration", errors.Value[0], StringComparison.Ordinal);
        Assert.Empty(worker.Connectors);
    }

    [Fact]
    public async Task ARebalanceConflictIsRetriedUntilTheWorkerAccepts()
    {
        worker.RebalancingFor = 3;
        Assert.Equal(ApplyOutcome.Created, await Client().ApplyAsync(Postgres(), TestContext.Current.CancellationToken));
        Assert.Single(worker.Connectors);
        Assert.Equal(3, logs.Lines.Count(l => l.StartsWith("4012 ", StringComparison.Ordinal) && l.Contains("409", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AFailedTaskShowsInStatusAndRestartingFailedTasksRecoversIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Client();
        await client.ApplyAsync(Postgres(), ct);
        worker.TaskStates["pg-source"] = ["RUNNING", "FAILED"];

        var status = await client.GetStatusAsync("pg-source", ct);
        Assert.False(status.IsHealthy);
        var failed = Assert.Single(status.FailedTasks);
        Assert.Equal(1, failed.Id);
        Assert.Contains("replication slot", failed.Trace, StringComparison.Ordinal);

        await client.RestartAsync("pg-source", onlyFailed: true, ct);
        Assert.Contains("POST /connectors/pg-source/restart?includeTasks=true&onlyFailed=true", worker.Requests);
        Assert.True((await client.GetStatusAsync("pg-source", ct)).IsHealthy);

        worker.TaskStates["pg-source"] = ["FAILED", "RUNNING"];
        await client.RestartTaskAsync("pg-source", 0, ct);
        Assert.True((await client.GetStatusAsync("pg-source", ct)).IsHealthy);
    }

    [Fact]
    public async Task StatusOfAnUnknownConnectorSaysItDoesNotExist()
    {
        var ex = await Assert.ThrowsAsync<KafkaConnectException>(() => Client().GetStatusAsync("nope", TestContext.Current.CancellationToken));
        Assert.Equal(404, ex.StatusCode);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkerThatIsNotListeningIsATransientFailureAfterTheRetries()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connection refused

        using var closed = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var client = new KafkaConnectClient(closed, logs, new KafkaConnectClientOptions { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(10) });
        var ex = await Assert.ThrowsAsync<KafkaConnectException>(() => client.GetStatusAsync("pg-source", TestContext.Current.CancellationToken));
        Assert.True(ex.IsTransient);
        Assert.Equal(2, logs.Lines.Count(l => l.StartsWith("4012 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SecretsNeverReachTheLogsOrErrors()
    {
        var ex = await Assert.ThrowsAsync<KafkaConnectException>(() => Client().ApplyAsync(Postgres(host: ""), TestContext.Current.CancellationToken));
        await Client().ApplyAsync(Postgres(), TestContext.Current.CancellationToken);

        Assert.DoesNotContain("s3cr3t-plain", ex.Message, StringComparison.Ordinal);
        Assert.All(logs.Lines, l => Assert.DoesNotContain("s3cr3t-plain", l, StringComparison.Ordinal));
        Assert.Equal(ConfigRedactor.Mask, ConfigRedactor.Redact(Postgres().Config)["database.password"]);
        Assert.Equal("${env:PG_PASSWORD}", ConfigRedactor.Redact("database.password", "${env:PG_PASSWORD}"));
    }

    [Fact]
    public async Task TheShippedPostgresConnectorValidatesAppliesAndHoldsNoPassword()
    {
        var ct = TestContext.Current.CancellationToken;
        var connector = await ConnectorDefinition.LoadAsync(Path.Combine(AppContext.BaseDirectory, "connectors", "postgres-source.json"), ct);

        Assert.Equal("${env:PG_PASSWORD}", connector.Config["database.password"]);
        Assert.Equal("pgoutput", connector.Config["plugin.name"]);
        Assert.Equal("filtered", connector.Config["publication.autocreate.mode"]);
        Assert.Equal("true", connector.Config["provide.transaction.metadata"]);
        Assert.False(connector.Config.ContainsKey("database.server.name"));
        Assert.DoesNotContain(connector.Config.Keys, k => k.StartsWith("errors.deadletterqueue", StringComparison.Ordinal));
        Assert.Equal(ApplyOutcome.Created, await Client().ApplyAsync(connector, ct));
    }
}
