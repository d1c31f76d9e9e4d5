using System.Net.Http.Json;
using System.Text.Json;
using CdcAspire.Testing;
using CdcAspire.Testing.Consistency;
using CdcAspire.Testing.Elasticsearch;
using CdcAspire.Testing.Postgres;
using CdcAspire.Testing.Processes;
using Npgsql;

namespace CdcAspire.Sink.Tests;

/// <summary>
/// One end-to-end setup: a database with the seed schema, an Elasticsearch test server (with basic auth, so the
/// credentials-in-URI path is real), and the sink as a process wired by environment variables.
/// </summary>
public sealed class SinkScenario : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly PostgresFixture _postgres;
    private readonly List<SinkProcess> _sinks = [];

    private SinkScenario(PostgresFixture postgres, string name, string connectionString, ElasticsearchTestServer elasticsearch)
    {
        _postgres = postgres;
        Name = name;
        ConnectionString = connectionString;
        Elasticsearch = elasticsearch;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public ElasticsearchTestServer Elasticsearch { get; }

    public SinkProcess? Sink => _sinks.Count > 0 ? _sinks[^1] : null;

    public Dictionary<string, string?> Environment { get; } = [];

    public static async Task<SinkScenario> CreateAsync(PostgresFixture postgres, string prefix, bool seed = true)
    {
        var name = postgres.NextName(prefix);
        var cs = await postgres.Cluster.CreateDatabaseAsync(name);
        if (seed)
        {
            await postgres.Cluster.ExecuteAsync(name, SeedSchema.Ddl);
            await postgres.Cluster.ExecuteAsync(name, SeedSchema.SeedRows);
        }

        var es = await ElasticsearchTestServer.StartAsync(new ElasticsearchTestServerOptions { Username = "elastic", Password = "es-secret-" + name });
        var scenario = new SinkScenario(postgres, name, cs, es);
        var e = scenario.Environment;
        e["ConnectionStrings__appdb"] = cs;
        e["ConnectionStrings__elasticsearch"] = $"http://elastic:es-secret-{name}@{es.Uri.Host}:{es.Uri.Port}";
        e["Cdc__SlotName"] = name;
        e["Cdc__PublicationName"] = name;
        e["Cdc__HeartbeatInterval"] = "00:00:01";
        e["Cdc__SnapshotChunkSize"] = "500";
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

    public Task ExecuteAsync(string sql) => _postgres.Cluster.ExecuteAsync(Name, sql);

    public Task<T?> ScalarAsync<T>(string sql) => _postgres.Cluster.ScalarAsync<T>(Name, sql);

    /// <summary>GET /status of the running sink, or null while it does not answer.</summary>
    public async Task<JsonElement?> StatusAsync()
    {
        try
        {
            return await Http.GetFromJsonAsync<JsonElement>(new Uri(Sink!.Address, "status"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits until every seed table equals its index; fails with the differences (and the sink's log) if not.</summary>
    public async Task AssertConvergesAsync(TimeSpan timeout, params string[] tables)
    {
        tables = tables.Length == 0 ? SeedSchema.Tables : tables;
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<string> differences = [];
        while (DateTime.UtcNow < deadline)
        {
            differences = await DifferencesAsync(tables);
            if (differences.Count == 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Elasticsearch did not converge on PostgreSQL within {timeout}: {differences.Count} differences, e.g.\n" +
            string.Join('\n', differences.Take(10)) + "\n--- sink output (tail) ---\n" + Tail(Sink?.Output));
    }

    public async Task<IReadOnlyList<string>> DifferencesAsync(params string[] tables)
    {
        var all = new List<string>();
        foreach (var table in tables)
        {
            all.AddRange(await IndexComparison.DifferencesAsync(ConnectionString, table, Elasticsearch, table));
        }

        return all;
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

        Assert.Fail($"Timed out after {timeout} waiting for {what}; last seen: {last}\n--- sink output (tail) ---\n{Tail(Sink?.Output)}");
        return default!;
    }

    public static string Tail(string? output) =>
        output is null ? "(no sink)" : string.Join('\n', output.Split('\n').TakeLast(40));

    public async ValueTask DisposeAsync()
    {
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
