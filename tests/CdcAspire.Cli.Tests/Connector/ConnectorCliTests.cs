using CdcAspire.Testing.KafkaConnect;
using System.Text.Json.Nodes;

namespace CdcAspire.Cli.Tests.Connector;

/// <summary>
/// <c>cdc connector apply|status|restart</c> run as a process against a <see cref="KafkaConnectDouble"/>, as a person
/// would use them. No output may ever contain a plain secret.
/// </summary>
public sealed class ConnectorCliTests : IAsyncLifetime
{
    private const string PlainPassword = "pl41n-s3cr3t";
    private const string Name = "pg-source";

    private readonly string directory = Directory.CreateTempSubdirectory("cdc-connector-cli-").FullName;
    private KafkaConnectDouble worker = null!;

    private string Connect => worker.Url.ToString();

    private static string RepositoryDefinition => Path.Combine(AppContext.BaseDirectory, "connectors", "postgres-source.json");

    public async ValueTask InitializeAsync() => worker = await KafkaConnectDouble.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await worker.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task ApplyCreatesTheConnectorThenASecondApplyReportsUnchangedWithoutRewritingIt()
    {
        var first = await CdcCli.RunAsync(["connector", "apply", RepositoryDefinition, "--connect", Connect]);
        var second = await CdcCli.RunAsync(["connector", "apply", RepositoryDefinition, "--connect", Connect]);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Connector 'postgres-source' created", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Connector 'postgres-source' unchanged", second.Output, StringComparison.Ordinal);
        Assert.Single(worker.Requests, r => r == "PUT /connectors/postgres-source/config");
        Assert.Equal("${env:PG_PASSWORD}", worker.Connectors["postgres-source"]["database.password"]);
    }

    [Fact]
    public async Task ApplyOfAChangedDefinitionReportsUpdatedAndListsTheChangesWithSecretsMasked()
    {
        var file = Definition(("database.hostname", "postgres"), ("database.password", PlainPassword), ("topic.prefix", "cdc"));
        var created = await CdcCli.RunAsync(["connector", "apply", file, "--connect", Connect]);
        file = Definition(("database.hostname", "postgres-2"), ("database.password", PlainPassword + "-rotated"), ("topic.prefix", "cdc"));

        var updated = await CdcCli.RunAsync(["connector", "apply", file, "--connect", Connect]);

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(0, updated.ExitCode);
        Assert.Contains($"Connector '{Name}' updated (2 settings changed):", updated.Output, StringComparison.Ordinal);
        Assert.Contains("~ database.hostname: postgres -> postgres-2", updated.Output, StringComparison.Ordinal);
        Assert.Contains("~ database.password: ******** -> ********", updated.Output, StringComparison.Ordinal);
        Assert.Equal("postgres-2", worker.Connectors[Name]["database.hostname"]);
        AssertNoSecret(created, updated);
    }

    [Fact]
    public async Task AnInvalidDefinitionPrintsEachFailingFieldOnItsOwnLineExitsWithOneAndCreatesNothing()
    {
        var file = Definition(("database.password", PlainPassword));

        var result = await CdcCli.RunAsync(["connector", "apply", file, "--connect", Connect]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"cdc: connector '{Name}' is invalid (2 errors)", result.Error, StringComparison.Ordinal);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("database.hostname: Missing required configuration", StringComparison.Ordinal));
        Assert.Contains(result.ErrorLines, l => l.StartsWith("topic.prefix: Missing required configuration", StringComparison.Ordinal));
        Assert.Empty(worker.Connectors);
        AssertNoSecret(result);
    }

    [Fact]
    public async Task ARebalanceConflictIsRetriedAndTheApplySucceeds()
    {
        worker.RebalancingFor = 2;

        var result = await CdcCli.RunAsync(["connector", "apply", RepositoryDefinition, "--connect", Connect]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("created", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
        Assert.Single(worker.Connectors);
    }

    [Fact]
    public async Task StatusShowsTheConnectorItsWorkerAndAFailedTaskWithItsTraceSummary()
    {
        worker.Connectors[Name] = new() { ["database.password"] = PlainPassword };
        worker.TaskStates[Name] = ["RUNNING", "FAILED"];

        var result = await CdcCli.RunAsync(["connector", "status", Name, "--connect", Connect]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Connector {Name} (source): RUNNING on 127.0.0.1:8083", result.Output, StringComparison.Ordinal);
        var failed = Row(result.Output, "│ 1 ");
        Assert.Contains("FAILED", failed, StringComparison.Ordinal);
        Assert.Contains("ConnectException: replication slot is active", failed, StringComparison.Ordinal);
        var running = Row(result.Output, "│ 0 ");
        Assert.Contains("RUNNING", running, StringComparison.Ordinal);
        Assert.DoesNotContain("ConnectException", running, StringComparison.Ordinal);
        AssertNoSecret(result);
    }

    [Fact]
    public async Task StatusFindsTheWorkerThroughTheAspireReferenceVariable()
    {
        worker.TaskStates[Name] = ["RUNNING"];

        var result = await CdcCli.RunAsync(["connector", "status", Name], new Dictionary<string, string?> { ["services__connect__http__0"] = Connect });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Connector {Name} (source): RUNNING", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusOfAnUnknownConnectorExitsWithOneAndOneLine()
    {
        var result = await CdcCli.RunAsync(["connector", "status", "nope", "--connect", Connect]);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("404", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartWithoutOptionsRestartsOnlyTheFailedTasks()
    {
        worker.TaskStates[Name] = ["RUNNING", "FAILED"];

        var result = await CdcCli.RunAsync(["connector", "restart", Name, "--connect", Connect]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"POST /connectors/{Name}/restart?includeTasks=true&onlyFailed=true", worker.Requests);
        Assert.Contains($"Restarted the failed tasks of '{Name}': 1.", result.Output, StringComparison.Ordinal);
        Assert.Equal(["RUNNING", "RUNNING"], worker.TaskStates[Name]);
        Assert.DoesNotContain("FAILED", result.Output.Split("Restarted")[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartOfOneTaskUsesTheTaskEndpointAndAnUnknownTaskIsAUsageError()
    {
        worker.TaskStates[Name] = ["RUNNING", "FAILED"];

        var one = await CdcCli.RunAsync(["connector", "restart", Name, "--task", "1", "--connect", Connect]);
        var unknown = await CdcCli.RunAsync(["connector", "restart", Name, "--task", "7", "--connect", Connect]);

        Assert.Equal(0, one.ExitCode);
        Assert.Contains($"POST /connectors/{Name}/tasks/1/restart", worker.Requests);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("has no task 7", Assert.Single(unknown.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableWorkerExitsWithThreeAndOneLine()
    {
        var result = await CdcCli.RunAsync(["connector", "status", Name, "--connect", "http://127.0.0.1:1", "--timeout", "00:00:02"]);

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("cdc: Kafka Connect at http://127.0.0.1:1/", line, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task NoAddressIsAUsageErrorThatNamesTheVariables()
    {
        var result = await CdcCli.RunAsync(["connector", "status", Name]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("services__connect__http__0", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    private static void AssertNoSecret(params CdcResult[] results)
    {
        foreach (var result in results)
        {
            Assert.DoesNotContain(PlainPassword, result.All, StringComparison.Ordinal);
        }
    }

    private static string Row(string output, string marker) =>
        output.Split('\n').Single(l => l.Contains(marker, StringComparison.Ordinal) && l.StartsWith('│'));

    private string Definition(params (string Key, string Value)[] settings)
    {
        var config = new JsonObject { ["connector.class"] = "io.debezium.connector.postgresql.PostgresConnector" };
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, new JsonObject { ["name"] = Name, ["config"] = config }.ToJsonString());
        return path;
    }
}
