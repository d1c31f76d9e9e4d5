using CdcAspire.Dlq.V1;
using CdcAspire.Testing;
using CdcAspire.Testing.Consistency;
using CdcAspire.Testing.Elasticsearch;
using CdcAspire.Testing.Postgres;
using CdcAspire.Testing.Processes;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;

namespace CdcAspire.Dlq.Tests.Infrastructure;

/// <summary>
/// A database with the seed schema, an Elasticsearch test server, and the sink and the DLQ service as processes
/// wired by the same environment variables the AppHost injects; a gRPC client of the DLQ service.
/// </summary>
public sealed class DlqScenario : IAsyncDisposable
{
    public const string Token = "dlq-test-token";
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly PostgresFixture _postgres;
    private readonly List<SinkProcess> _sinks = [];
    private readonly List<ServiceProcess> _dlqs = [];
    private readonly List<GrpcChannel> _channels = [];

    private DlqScenario(PostgresFixture postgres, string name, string connectionString, ElasticsearchTestServer elasticsearch)
    {
        _postgres = postgres;
        Name = name;
        ConnectionString = connectionString;
        Elasticsearch = elasticsearch;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public ElasticsearchTestServer Elasticsearch { get; }

    /// <summary>Shared by the sink and the DLQ service (connections, tables); <see cref="DlqEnvironment"/> adds the DLQ's own.</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public Dictionary<string, string?> DlqEnvironment { get; } = new()
    {
        ["Cdc__Api__Token"] = Token,
        ["Dlq__ClaimTimeout"] = "00:00:03",
        ["Dlq__RetryInitialDelay"] = "00:00:00.200",
        ["Dlq__RetryMaxDelay"] = "00:00:01",
        ["Dlq__Breaker__OpenDuration"] = "00:00:01",
        ["Dlq__PollInterval"] = "00:00:02",
    };

    /// <summary>
    /// Wires the sink for the Kafka topology over one table: only <paramref name="table"/> followed (into an index of
    /// its name), Debezium's <paramref name="debeziumSlot"/> as the version fence, a fresh consumer group.
    /// </summary>
    public void UseKafkaTopology(string table, string debeziumSlot, string bootstrapServers)
    {
        var e = Environment;
        foreach (var seed in new[] { "users", "products", "orders" })
        {
            e.Remove($"Cdc__Tables__public.{seed}__Index");
        }

        e[$"Cdc__Tables__public.{table}__Index"] = table;
        e["Cdc__Source"] = "kafka";
        e["Cdc__DebeziumSlotName"] = debeziumSlot;
        e["Cdc__IndexTemplatesPath"] = string.Empty;
        e["ConnectionStrings__kafka"] = bootstrapServers;
        e["Cdc__Kafka__TopicPrefix"] = CdcAspire.Kafka.Tests.Infrastructure.DebeziumEvents.Prefix;
        e["Cdc__Kafka__GroupId"] = "dlq-" + Guid.NewGuid().ToString("N");
        e["Cdc__Kafka__CommitInterval"] = "00:00:00.500";
    }

    public ServiceProcess? Dlq => _dlqs.Count > 0 ? _dlqs[^1] : null;

    public DlqService.DlqServiceClient Client { get; private set; } = null!;

    public static Metadata Authorized => [new("authorization", "Bearer " + Token)];

    public static async Task<DlqScenario> CreateAsync(PostgresFixture postgres, string prefix)
    {
        var name = postgres.NextName(prefix);
        var cs = await postgres.Cluster.CreateDatabaseAsync(name);
        await postgres.Cluster.ExecuteAsync(name, SeedSchema.Ddl);
        await postgres.Cluster.ExecuteAsync(name, SeedSchema.SeedRows);
        var es = await ElasticsearchTestServer.StartAsync();
        var scenario = new DlqScenario(postgres, name, cs, es);
        var e = scenario.Environment;
        e["ConnectionStrings__appdb"] = cs;
        e["ConnectionStrings__elasticsearch"] = es.Uri.ToString();
        e["Cdc__SlotName"] = name;
        e["Cdc__PublicationName"] = name;
        e["Cdc__HeartbeatInterval"] = "00:00:01";
        e["Cdc__IndexTemplatesPath"] = Path.Combine(Repository.Root, "index-templates");
        foreach (var table in SeedSchema.Tables)
        {
            e[$"Cdc__Tables__public.{table}__Index"] = table;
        }

        return scenario;
    }

    public SinkProcess StartSink()
    {
        var sink = SinkProcess.Start(Environment);
        _sinks.Add(sink);
        return sink;
    }

    /// <summary>Starts the DLQ service and waits until it answers GetStats.</summary>
    public async Task<ServiceProcess> StartDlqAsync()
    {
        var env = new Dictionary<string, string?>(Environment);
        foreach (var (key, value) in DlqEnvironment)
        {
            env[key] = value;
        }

        var dlq = ServiceProcess.StartDlq(env);
        _dlqs.Add(dlq);
        // Earlier clients stay usable: a test may talk to two replicas.
        var channel = GrpcChannel.ForAddress(dlq.Grpc);
        _channels.Add(channel);
        Client = new DlqService.DlqServiceClient(channel);
        await EventuallyAsync(async () =>
        {
            try
            {
                return await Client.GetStatsAsync(new GetStatsRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            }
            catch (RpcException)
            {
                return null;
            }
        }, s => s is not null, Wait, "the DLQ service to answer");
        return dlq;
    }

    public Task ExecuteAsync(string sql) => _postgres.Cluster.ExecuteAsync(Name, sql);

    public Task<T?> ScalarAsync<T>(string sql) => _postgres.Cluster.ScalarAsync<T>(Name, sql);

    public Task<IReadOnlyList<string>> DifferencesAsync(string table) =>
        IndexComparison.DifferencesAsync(ConnectionString, table, Elasticsearch, table);

    public async Task AssertConvergesAsync(string table)
    {
        IReadOnlyList<string> differences = [];
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            differences = await DifferencesAsync(table);
            if (differences.Count == 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{table} did not converge: {string.Join('\n', differences.Take(10))}\n--- logs ---\n{Logs()}");
    }

    /// <summary>Pending dead letters of a filter, through the API.</summary>
    public async Task<ListResponse> ListAsync(Filter? filter = null) =>
        await Client.ListAsync(new ListRequest { Filter = filter ?? new Filter(), PageSize = 1000 });

    /// <summary>Replays a selection and collects the stream (results, then the summary).</summary>
    public async Task<(List<ReplayResult> Results, ReplaySummary Summary)> ReplayAsync(Filter filter, DlqService.DlqServiceClient? client = null)
    {
        using var call = (client ?? Client).Replay(new ReplayRequest { Filter = filter }, Authorized, DateTime.UtcNow.Add(Wait));
        var results = new List<ReplayResult>();
        ReplaySummary? summary = null;
        await foreach (var progress in call.ResponseStream.ReadAllAsync())
        {
            if (progress.ItemCase == ReplayProgress.ItemOneofCase.Result)
            {
                results.Add(progress.Result);
            }
            else
            {
                summary = progress.Summary;
            }
        }

        return (results, summary ?? throw new InvalidOperationException("The replay stream ended without a summary."));
    }

    public async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, Func<T?, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (done(last))
            {
                return last!;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out after {timeout} waiting for {what}; last seen: {last}\n--- logs ---\n{Logs()}");
        return default!;
    }

    public string Logs() =>
        "sink:\n" + Tail(_sinks.LastOrDefault()?.Output) + "\ndlq:\n" + Tail(Dlq?.Output);

    private static string Tail(string? output) => output is null ? "(none)" : string.Join('\n', output.Split('\n').TakeLast(40));

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        foreach (var dlq in _dlqs)
        {
            await dlq.DisposeAsync();
        }

        foreach (var sink in _sinks)
        {
            await sink.DisposeAsync();
        }

        await Elasticsearch.DisposeAsync();
        try
        {
            await _postgres.Cluster.ExecuteAsync("postgres",
                $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{Name}' AND NOT active");
        }
        catch (NpgsqlException)
        {
            // Best effort: the cluster is thrown away at the end anyway.
        }
    }
}
