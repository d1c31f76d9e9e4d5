using System.Net;
using System.Text;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Testing.Elasticsearch;

/// <summary>
/// An in-process HTTP server that reproduces the documented Elasticsearch 8.17 REST behaviour the CDC pipeline
/// relies on (bulk, versioning, tombstones, templates, mappings, search, aliases), with fault injection and
/// counters for tests. Relevance scoring, analyzers beyond lower-cased word tokens, aggregations and scripts are
/// not reproduced; requests that need them fail with a 400 naming the unsupported feature.
/// </summary>
public sealed class ElasticsearchTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ClusterState _cluster;

    private ElasticsearchTestServer(WebApplication app, ClusterState cluster, FaultInjector faults, ServerCounters counters, Uri uri)
    {
        _app = app;
        _cluster = cluster;
        Faults = faults;
        Counters = counters;
        Uri = uri;
    }

    /// <summary>The base address, http://127.0.0.1:{port}/.</summary>
    public Uri Uri { get; }

    /// <summary>Failure injection for retry and crash tests.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Requests, bulk items and outcomes received so far.</summary>
    public ServerCounters Counters { get; }

    /// <summary>
    /// The names a request can target now: every existing index and every alias, sorted (the sink writes through
    /// aliases, so "is there a products index" means either).
    /// </summary>
    public IReadOnlyCollection<string> IndexNames => _cluster.AllIndices().Select(i => i.Name).Concat(_cluster.Aliases.Keys).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The concrete indices an alias points at now (empty when it is not an alias), sorted.</summary>
    public IReadOnlyList<string> AliasTargets(string alias) =>
        _cluster.Aliases.TryGetValue(alias, out var targets) ? targets.Select(i => i.Name).Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>Whether <paramref name="name"/> is a concrete index (not an alias).</summary>
    public bool IsConcreteIndex(string name) => _cluster.Index(name) is not null;

    /// <summary>Starts Kestrel on 127.0.0.1 (HTTP/1.1) and returns once it accepts connections.</summary>
    public static Task<ElasticsearchTestServer> StartAsync(ElasticsearchTestServerOptions? options = null, CancellationToken ct = default) =>
        StartAsync(options ?? new ElasticsearchTestServerOptions(), null, ct);

    /// <summary>
    /// Another node of this server's cluster: its own listener (port, faults, counters), the same indices, documents,
    /// templates and aliases, as every node of a real cluster answers for all of them. Disposing (killing) one node
    /// leaves the other serving the data, which is what a client's failover relies on.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/modules-node.html (coordinating node)
    /// </summary>
    public Task<ElasticsearchTestServer> StartNodeAsync(ElasticsearchTestServerOptions? options = null, CancellationToken ct = default) =>
        StartAsync(options ?? new ElasticsearchTestServerOptions(), _cluster, ct);

    private static async Task<ElasticsearchTestServer> StartAsync(ElasticsearchTestServerOptions options, ClusterState? shared, CancellationToken ct)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddLogging(logging => logging.ClearProviders());
        var app = builder.Build();

        var cluster = shared ?? new ClusterState(options.TimeProvider ?? TimeProvider.System);
        var faults = new FaultInjector();
        var counters = new ServerCounters();
        var auth = options.Username is not null ? new BasicAuth(options.Username, options.Password ?? "") : null;
        var pipeline = new RequestPipeline(new EsRouter(cluster, faults, counters), faults, counters, auth);
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new ElasticsearchTestServer(app, cluster, faults, counters, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>
    /// Runs a server until <paramref name="ct"/> is cancelled, for manual use and benchmarks:
    /// arguments --port N, --user NAME, --password SECRET.
    /// </summary>
    public static async Task RunAsync(string[] args, CancellationToken ct = default)
    {
        var options = new ElasticsearchTestServerOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--port": options.Port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--user": options.Username = args[i + 1]; break;
                case "--password": options.Password = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'. Use --port N, --user NAME, --password SECRET.", nameof(args));
            }
        }

        await using var server = await StartAsync(options, ct);
        await Console.Out.WriteLineAsync($"Elasticsearch test server listening on {server.Uri}");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // Cancellation is the normal way to stop.
        }
    }

    /// <summary>A document as stored now (realtime: no refresh needed), or null.</summary>
    public StoredDocument? GetDocument(string indexOrAlias, string id)
    {
        foreach (var index in Targets(indexOrAlias))
        {
            lock (index.Gate)
            {
                if (index.GetLive(id) is { } entry)
                {
                    return ToStored(index, id, entry);
                }
            }
        }

        return null;
    }

    /// <summary>All documents stored now in the index or the alias's indices, by index then _seq_no.</summary>
    public IReadOnlyList<StoredDocument> GetDocuments(string indexOrAlias)
    {
        var result = new List<StoredDocument>();
        var entries = new List<KeyValuePair<string, DocEntry>>();
        foreach (var index in Targets(indexOrAlias))
        {
            entries.Clear();
            lock (index.Gate)
            {
                index.CollectLive(entries);
            }

            entries.Sort((a, b) => a.Value.SeqNo.CompareTo(b.Value.SeqNo));
            result.AddRange(entries.Select(e => ToStored(index, e.Key, e.Value)));
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private List<EsIndex> Targets(string indexOrAlias)
    {
        try
        {
            return _cluster.ResolveRead(indexOrAlias);
        }
        catch (EsException)
        {
            return [];
        }
    }

    private static StoredDocument ToStored(EsIndex index, string id, DocEntry entry) =>
        new(index.Name, id, Encoding.UTF8.GetString(entry.Source), entry.Version, entry.SeqNo, EsIndex.PrimaryTerm);
}
