using CdcAspire.Testing.Elasticsearch;

namespace CdcAspire.Testing.Tests.Elasticsearch;

/// <summary>Each test gets its own server on a free port and a fake clock, so tests never share state.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new();

    protected ElasticsearchTestServer Server { get; private set; } = null!;

    protected EsClient Client { get; private set; } = null!;

    protected virtual ElasticsearchTestServerOptions Options => new() { TimeProvider = Clock };

    public async ValueTask InitializeAsync()
    {
        using var cts = new CancellationTokenSource(EsClient.CallTimeout);
        Server = await ElasticsearchTestServer.StartAsync(Options, cts.Token);
        Client = new EsClient(Server);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static object Index(string index, string? id, object? extra = null) => Action("index", index, id, extra);

    protected static object Action(string action, string index, string? id, object? extra = null)
    {
        var meta = new Dictionary<string, object> { ["_index"] = index };
        if (id is not null)
        {
            meta["_id"] = id;
        }

        if (extra is not null)
        {
            foreach (var property in extra.GetType().GetProperties())
            {
                meta[property.Name] = property.GetValue(extra)!;
            }
        }

        return new Dictionary<string, object> { [action] = meta };
    }
}
