using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Builds the library's <see cref="ElasticsearchClient"/> (and our <see cref="SearchClusterClient"/> over it) from a
/// parsed connection string: one node, a static pool of several (round robin, a dead node is skipped and pinged
/// before it is used again), or an Elastic Cloud id; basic credentials or an API key.
/// </summary>
public static class SearchClusterClientFactory
{
    /// <summary>The library client's settings for <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">Where and how to log in.</param>
    /// <param name="requestTimeout">Timeout of one request, and the ceiling of its failover over the pool's nodes.</param>
    /// <param name="httpCompression">Gzip request bodies (<c>Cdc:Writer:HttpCompression</c>).</param>
    public static ElasticsearchClientSettings CreateSettings(ElasticsearchEndpoint endpoint, TimeSpan requestTimeout, bool httpCompression)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        AuthorizationHeader? auth = endpoint.ApiKey is { } key
            ? new ApiKey(key)
            : endpoint.UserName is { } user ? new BasicAuthentication(user, endpoint.Password ?? string.Empty) : null;
        NodePool pool = endpoint.CloudId is { } cloudId
            ? new CloudNodePool(cloudId, auth ?? throw new ArgumentException("A cloud id needs credentials.", nameof(endpoint)))
            : endpoint.Nodes.Count == 1
                ? new SingleNodePool(endpoint.Nodes[0])
                : new StaticNodePool(endpoint.Nodes.Select(n => new Node(n)), randomize: false);
        // Plain JSON on the wire, so 8.x and 9.x servers both accept every call (see RestCompatibilityHandler).
        var invoker = new HttpRequestInvoker((handler, _) => new RestCompatibilityHandler(handler));
        var settings = new ElasticsearchClientSettings(pool, invoker)
            .EnableHttpCompression(httpCompression)
            .RequestTimeout(requestTimeout)
            // Failover is bounded: each node at most once per request, and never past the request's own timeout, so
            // no resilience timeout shorter than the bulk request's applies and the writer's retries are the only loop.
            .MaximumRetries(Math.Max(0, endpoint.Nodes.Count - 1))
            .MaxRetryTimeout(requestTimeout)
            .PingTimeout(TimeSpan.FromSeconds(Math.Min(2, requestTimeout.TotalSeconds)))
            .DeadTimeout(TimeSpan.FromSeconds(5))
            .MaxDeadTimeout(TimeSpan.FromSeconds(60))
            // Responses are buffered through pooled streams: with plain MemoryStreams a profile of the consistency
            // check showed a tenth of its CPU growing and page-faulting a new array per search page.
            .MemoryStreamFactory(RecyclableMemoryStreamFactory.Default);
        if (auth is not null && endpoint.CloudId is null)
        {
            settings = settings.Authentication(auth);
        }

        return settings;
    }

    /// <summary>Our client over a new library client; <paramref name="logger"/> hears of outages (one line each).</summary>
    public static SearchClusterClient Create(ElasticsearchEndpoint endpoint, TimeSpan requestTimeout, bool httpCompression = false, ILogger? logger = null, TimeProvider? time = null)
    {
        var client = new ElasticsearchClient(CreateSettings(endpoint, requestTimeout, httpCompression));
        return Create(client, endpoint, requestTimeout, logger, time);
    }

    /// <summary>Our client over an existing library client (e.g. the DI singleton, so both share one connection pool).</summary>
    public static SearchClusterClient Create(ElasticsearchClient client, ElasticsearchEndpoint endpoint, TimeSpan requestTimeout, ILogger? logger = null, TimeProvider? time = null) =>
        new(client, endpoint, new ElasticsearchAvailability(logger ?? NullLogger.Instance, time ?? TimeProvider.System, endpoint.ToString()), requestTimeout);
}
