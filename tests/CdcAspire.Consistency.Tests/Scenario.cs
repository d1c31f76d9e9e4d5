using System.Net.Http.Headers;
using System.Text;
using CdcAspire.Consistency.Checking;
using CdcAspire.Consistency.Extensions;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Testing;
using CdcAspire.Testing.Consistency;
using CdcAspire.Testing.Elasticsearch;
using CdcAspire.Testing.Postgres;
using CdcAspire.Testing.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CdcAspire.Consistency.Tests;

/// <summary>
/// A database with the seed schema, the Elasticsearch test server, the sink as a process (started on demand), and
/// the consistency service's components in this process, configured with the same variables the AppHost injects.
/// </summary>
public sealed class Scenario : IAsyncDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly HttpClient _es;
    private IHost? _host;

    private Scenario(PostgresFixture postgres, string name, string connectionString, ElasticsearchTestServer elasticsearch)
    {
        _postgres = postgres;
        Name = name;
        ConnectionString = connectionString;
        Elasticsearch = elasticsearch;
        _es = new HttpClient { BaseAddress = elasticsearch.Uri, Timeout = TimeSpan.FromSeconds(10) };
        _es.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"elastic:es-secret-{name}")));
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public ElasticsearchTestServer Elasticsearch { get; }

    public SinkProcess? Sink { get; private set; }

    public Dictionary<string, string?> Environment { get; } = [];

    public static async Task<Scenario> CreateAsync(PostgresFixture postgres, string prefix)
    {
        var name = postgres.NextName(prefix);
        var cs = await postgres.Cluster.CreateDatabaseAsync(name);
        await postgres.Cluster.ExecuteAsync(name, SeedSchema.Ddl);
        await postgres.Cluster.ExecuteAsync(name, SeedSchema.SeedRows);
        var es = await ElasticsearchTestServer.StartAsync(new ElasticsearchTestServerOptions { Username = "elastic", Password = "es-secret-" + name });
        var scenario = new Scenario(postgres, name, cs, es);
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

        e["Consistency__SinkWaitTimeout"] = "00:00:20";
        return scenario;
    }

    /// <summary>The consistency service's check runner, built from <see cref="Environment"/> like the service's own host.</summary>
    public CheckRunner Runner => Services.GetRequiredService<CheckRunner>();

    public IServiceProvider Services
    {
        get
        {
            if (_host is null)
            {
                var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
                builder.Configuration.AddInMemoryCollection(Environment.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value)));
                builder.Services.AddMetrics();
                builder.AddConsistency();
                _host = builder.Build();
            }

            return _host.Services;
        }
    }

    public SinkProcess StartSink() => Sink = SinkProcess.Start(Environment);

    public async Task StopSinkAsync()
    {
        await Sink!.StopAsync(TimeSpan.FromSeconds(20));
        // The slot stays, inactive: the sink is paused, not gone.
        await EventuallyAsync(async () => await ScalarAsync<bool>($"SELECT NOT active FROM pg_replication_slots WHERE slot_name = '{Name}'"), TimeSpan.FromSeconds(20), "the slot to be released");
    }

    public Task ExecuteAsync(string sql) => _postgres.Cluster.ExecuteAsync(Name, sql);

    public Task<T?> ScalarAsync<T>(string sql) => _postgres.Cluster.ScalarAsync<T>(Name, sql);

    /// <summary>Full check of one table through the service's runner.</summary>
    public Task<TableResult> CheckAsync(string table, Mode mode = Mode.Full, bool repair = false, int sampleSize = 0) =>
        Runner.CheckAsync(TableId.Parse(table), mode, sampleSize, 0, repair, _ => { }, TestContext.Current.CancellationToken);

    public async Task AssertConvergesAsync(TimeSpan timeout, params string[] tables)
    {
        tables = tables.Length == 0 ? SeedSchema.Tables : tables;
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<string> differences = [];
        while (DateTime.UtcNow < deadline)
        {
            differences = [];
            foreach (var table in tables)
            {
                differences = [.. differences, .. await IndexComparison.DifferencesAsync(ConnectionString, table, Elasticsearch, table)];
            }

            if (differences.Count == 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Elasticsearch did not converge: {string.Join('\n', differences.Take(10))}\n{Sink?.Output}");
    }

    /// <summary>A request straight to Elasticsearch, behind the sink's back.</summary>
    public async Task SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _es.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task EventuallyAsync(Func<Task<bool>> probe, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out after {timeout} waiting for {what}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (Sink is not null)
        {
            await Sink.DisposeAsync();
        }

        if (_host is IAsyncDisposable host)
        {
            await host.DisposeAsync();
        }

        _es.Dispose();
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
