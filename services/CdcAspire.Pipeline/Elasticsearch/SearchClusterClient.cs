using System.Net;
using CommunityToolkit.HighPerformance.Buffers;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Transport;
using Elastic.Transport.Products.Elasticsearch;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// What the pipeline asks of Elasticsearch, on Elastic.Clients.Elasticsearch: typed calls for templates, indices,
/// delete-by-query and the version; the bulk hot path keeps its own NDJSON body and response reader but is sent
/// through the client's transport, so a cluster of several nodes (node pool, failover, the product check) works as
/// with any Elastic client. It never retries a failed request on its own: the writer owns retries because only it
/// knows what may be resent and when (the transport only fails a request over to another node of the pool, a bounded
/// number of times). Every failure becomes an <see cref="ElasticsearchException"/> that says whether it is transient,
/// and no message contains credentials.
/// </summary>
public sealed class SearchClusterClient
{
    /// <summary>
    /// Plain JSON on every typed call. The 9.x client would send <c>compatible-with=9</c>, which Elasticsearch 8.x
    /// refuses (media_type_header_exception); plain <c>application/json</c> is accepted by 8.x and 9.x alike. The
    /// factory's client rewrites the headers of every call anyway (<see cref="RestCompatibilityHandler"/>); this keeps
    /// our calls right over a library client built elsewhere.
    /// </summary>
    public static readonly RequestConfiguration PlainJson = new() { Accept = "application/json", ContentType = "application/json" };

    /// <summary>
    /// The bulk request: chunked transfer, so the transport streams our already-built body instead of copying it into
    /// a buffer first to learn its length (up to <c>MaxBatchBytes</c> per request); no audit trail (our errors carry
    /// what matters, and it allocates per request).
    /// </summary>
    private static readonly RequestConfiguration BulkRequest = new()
    {
        Accept = "application/json",
        ContentType = "application/x-ndjson",
        TransferEncodingChunked = true,
        DisableAuditTrail = true,
    };

    private readonly ElasticsearchClient _client;
    private readonly ElasticsearchEndpoint _endpoint;
    private readonly TimeSpan _requestTimeout;
    private TemplateGuard? _templates;

    public SearchClusterClient(ElasticsearchClient client, ElasticsearchEndpoint endpoint, ElasticsearchAvailability availability, TimeSpan requestTimeout)
    {
        _client = client;
        _endpoint = endpoint;
        _requestTimeout = requestTimeout;
        Availability = availability;
    }

    public ElasticsearchEndpoint Endpoint => _endpoint;

    /// <summary>The library client on the same connection, for typed calls this class does not wrap.</summary>
    public ElasticsearchClient Client => _client;

    /// <summary>Outage tracking: one warning per outage, one line on recovery; read by status and health.</summary>
    public ElasticsearchAvailability Availability { get; }

    /// <summary>
    /// Keeps the index templates of <paramref name="folder"/> in place from now on: they are checked (and put again
    /// when missing) before a bulk request when <paramref name="interval"/> has passed since the last check or a
    /// request has failed since, so an index that vanished (Elasticsearch replaced, templates deleted) is recreated by
    /// the next write with its template.
    /// </summary>
    public void KeepTemplates(string? folder, TimeSpan interval, Microsoft.Extensions.Logging.ILogger logger, TimeProvider time) =>
        _templates = string.IsNullOrWhiteSpace(folder) ? null : new TemplateGuard(this, folder, interval, logger, time);

    /// <summary>Sends one <c>_bulk</c> request; returns one outcome per action, in order.</summary>
    public async Task<BulkItemOutcome[]> BulkAsync(IReadOnlyList<IndexAction> actions, CancellationToken cancellationToken)
    {
        if (_templates is { } templates)
        {
            await templates.EnsureAsync(cancellationToken);
        }

        // Pooled body and response (see SendPooledAsync): a batch of a few hundred KiB would otherwise be two fresh
        // large-object arrays per request.
        using var body = new ArrayPoolBufferWriter<byte>(actions.Sum(a => a.EstimatedBytes) + 64);
        BulkBodyWriter.Write(body, actions);
        const string what = "POST /_bulk";
        var (details, response) = await SendPooledAsync(
            new EndpointPath(Elastic.Transport.HttpMethod.POST, "/_bulk"), PostData.ReadOnlyMemory(body.WrittenMemory), BulkRequest, what, 256 + 64 * actions.Count, cancellationToken);
        using (response)
        {
            if (!details.HasSuccessfulStatusCode || response.WrittenCount == 0)
            {
                throw Failed(what, details, null, ErrorOf(response.WrittenMemory));
            }

            Availability.ReportSuccess();
            return BulkResponseReader.Read(response.WrittenSpan, actions.Count);
        }
    }

    /// <summary>Creates or replaces a composable index template (idempotent) from its JSON body.</summary>
    public async Task PutIndexTemplateAsync(string name, string templateJson, CancellationToken cancellationToken)
    {
        // The template files are the API's own JSON: sent as they are, with the typed response.
        var path = new EndpointPath(Elastic.Transport.HttpMethod.PUT, $"/_index_template/{Uri.EscapeDataString(name)}");
        var response = await SendAsync(
            () => _client.Transport.RequestAsync<PutIndexTemplateResponse>(path, PostData.String(templateJson), null, PlainJson, cancellationToken),
            $"PUT /_index_template/{name}", cancellationToken);
        Check(response, $"PUT /_index_template/{name}");
    }

    /// <summary>The <c>version</c> of a stored index template, or null when it is missing or has none.</summary>
    public async Task<long?> GetIndexTemplateVersionAsync(string name, CancellationToken cancellationToken)
    {
        var response = await SendAsync(
            () => _client.Indices.GetIndexTemplateAsync(new GetIndexTemplateRequest(name) { RequestConfiguration = PlainJson }, cancellationToken),
            $"GET /_index_template/{name}", cancellationToken);
        if (IsNotFound(response))
        {
            return null;
        }

        Check(response, $"GET /_index_template/{name}");
        return response.IndexTemplates.FirstOrDefault(t => t.Name == name)?.IndexTemplate.Version;
    }

    /// <summary>Whether an index (or alias) exists now.</summary>
    public async Task<bool> IndexExistsAsync(string index, CancellationToken cancellationToken)
    {
        var response = await SendAsync(
            () => _client.Indices.ExistsAsync(new Elastic.Clients.Elasticsearch.IndexManagement.ExistsRequest(index) { RequestConfiguration = PlainJson }, cancellationToken),
            $"HEAD /{index}", cancellationToken);
        return response.Exists;
    }

    /// <summary>Makes recent writes visible to search and delete-by-query (a missing index is fine).</summary>
    public async Task RefreshAsync(string index, CancellationToken cancellationToken)
    {
        var response = await SendAsync(
            () => _client.Indices.RefreshAsync(new RefreshRequest(index) { RequestConfiguration = PlainJson }, cancellationToken),
            $"POST /{index}/_refresh", cancellationToken);
        if (!IsNotFound(response))
        {
            Check(response, $"POST /{index}/_refresh");
        }
    }

    /// <summary>
    /// Deletes every document of an index (a TRUNCATE). Only called when nothing else for the index is in flight, so
    /// it cannot remove a write that came after the truncate.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-delete-by-query.html
    /// </summary>
    public async Task<long> DeleteAllAsync(string index, CancellationToken cancellationToken)
    {
        var request = new DeleteByQueryRequest(index)
        {
            Query = new Elastic.Clients.Elasticsearch.QueryDsl.MatchAllQuery(),
            Conflicts = Conflicts.Proceed,
            Refresh = true,
            RequestConfiguration = PlainJson,
        };
        var response = await SendAsync(() => _client.DeleteByQueryAsync(request, cancellationToken), $"POST /{index}/_delete_by_query", cancellationToken);
        if (IsNotFound(response))
        {
            return 0; // No index yet: nothing to truncate.
        }

        Check(response, $"POST /{index}/_delete_by_query");
        return response.Deleted ?? 0;
    }

    /// <summary>GET / : proves the address, the credentials and the product work. Returns the server's version number.</summary>
    public async Task<string> GetVersionAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => _client.InfoAsync(new InfoRequest { RequestConfiguration = PlainJson }, cancellationToken), "GET /", cancellationToken);
        Check(response, "GET /");
        return response.Version.Number ?? "unknown";
    }

    /// <summary>Cluster health (green, yellow, red), for diagnostics.</summary>
    public async Task<string> GetClusterHealthAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(
            () => _client.Cluster.HealthAsync(new Elastic.Clients.Elasticsearch.Cluster.HealthRequest { RequestConfiguration = PlainJson }, cancellationToken),
            "GET /_cluster/health", cancellationToken);
        Check(response, "GET /_cluster/health");
        return response.Status.ToString().ToLowerInvariant();
    }

    /// <summary>
    /// Sends one JSON request as it is (index and alias management, point-in-time pages: calls whose bodies we build
    /// ourselves) and returns the status and the raw body. A 404 is returned when <paramref name="allowNotFound"/>,
    /// every other failure becomes an <see cref="ElasticsearchException"/> like the typed calls'.
    /// </summary>
    public async Task<(int Status, byte[] Body)> SendJsonAsync(
        Elastic.Transport.HttpMethod method, string path, string? body, bool allowNotFound, CancellationToken cancellationToken)
    {
        var (status, pooled) = await SendJsonPooledAsync(method, path, body, allowNotFound, 4096, cancellationToken);
        using (pooled)
        {
            return (status, pooled.WrittenSpan.ToArray());
        }
    }

    /// <summary>
    /// <see cref="SendJsonAsync"/> with the body in a rented array (which the caller disposes, returning it):
    /// for large answers read often, such as point-in-time pages.
    /// </summary>
    public async Task<(int Status, ArrayPoolBufferWriter<byte> Body)> SendJsonPooledAsync(
        Elastic.Transport.HttpMethod method, string path, string? body, bool allowNotFound, int sizeHint, CancellationToken cancellationToken)
    {
        var what = $"{method} {path}";
        var (details, bytes) = await SendPooledAsync(new EndpointPath(method, path), body is null ? null : PostData.String(body), PlainJson, what, sizeHint, cancellationToken);
        var status = details.HttpStatusCode;
        if (status is null || ElasticsearchException.IsTransientStatus(status.Value))
        {
            using (bytes)
            {
                throw Failed(what, details, null, ErrorOf(bytes.WrittenMemory));
            }
        }

        Availability.ReportSuccess();
        if (status == 404 && allowNotFound)
        {
            return (404, bytes);
        }

        if (!details.HasSuccessfulStatusCode)
        {
            using (bytes)
            {
                throw Failed(what, details, null, ErrorOf(bytes.WrittenMemory));
            }
        }

        return (status.Value, bytes);
    }

    /// <summary>
    /// One request whose answer is read into an array rented from the shared pool (disposing the writer returns it).
    /// </summary>
    /// <remarks>
    /// Why: search pages and bulk responses are hundreds of KiB; a fresh array per response lands on the large object
    /// heap, whose budget triggers full (gen2) collections: a full check of a million rows counted ~40 of them from
    /// these arrays alone. Transport failures and a body that breaks off or outlasts the request timeout become
    /// transient <see cref="ElasticsearchException"/>s; the status is the caller's to judge.
    /// </remarks>
    private async Task<(ApiCallDetails Details, ArrayPoolBufferWriter<byte> Body)> SendPooledAsync(
        EndpointPath path, PostData? body, RequestConfiguration configuration, string what, int sizeHint, CancellationToken cancellationToken)
    {
        StreamResponse response;
        try
        {
            response = await _client.Transport.RequestAsync<StreamResponse>(path, body, null, configuration, cancellationToken);
        }
        catch (TransportException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(what, ex.ApiCallDetails, ex);
        }

        var bytes = new ArrayPoolBufferWriter<byte>(Math.Max(sizeHint, 1024));
        using (response)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // The transport's timeout ends with the headers of a streamed response: the body gets its own.
            timeout.CancelAfter(_requestTimeout);
            try
            {
                if (response.Body is { } stream)
                {
                    int read;
                    while ((read = await stream.ReadAsync(bytes.GetMemory(16 * 1024), timeout.Token)) > 0)
                    {
                        bytes.Advance(read);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                bytes.Dispose();
                var failure = new ElasticsearchException(
                    $"Elasticsearch at {_endpoint} broke off its answer to {what.Split('?')[0]} ({(ex is OperationCanceledException ? $"not complete within {_requestTimeout.TotalSeconds:0.#} s" : Innermost(ex))}).",
                    null, null, isTransient: true, ex);
                Availability.ReportFailure(failure.Message);
                MarkTemplatesSuspect();
                throw failure;
            }
            catch
            {
                bytes.Dispose();
                throw;
            }
        }

        return (response.ApiCallDetails, bytes);
    }

    /// <summary>Called by the template guard and by callers outside the bulk path after a failed request.</summary>
    internal void MarkTemplatesSuspect() => _templates?.MarkSuspect();

    private static bool IsNotFound(ElasticsearchResponse response) => response.ApiCallDetails.HttpStatusCode == 404;

    private async Task<T> SendAsync<T>(Func<Task<T>> send, string what, CancellationToken cancellationToken)
        where T : ElasticsearchResponse
    {
        T response;
        try
        {
            response = await send();
        }
        catch (TransportException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(what, ex.ApiCallDetails, ex);
        }
        catch (UnsupportedProductException ex)
        {
            // The client's product check (X-Elastic-Product); the bulk path relies on the check of GET / at start.
            throw Failed(what, null, ex);
        }

        if (response.ApiCallDetails.HttpStatusCode is null || ElasticsearchException.IsTransientStatus(response.ApiCallDetails.HttpStatusCode.Value))
        {
            throw Failed(what, response.ApiCallDetails, null);
        }

        Availability.ReportSuccess();
        return response;
    }

    private void Check(ElasticsearchResponse response, string what)
    {
        if (!response.IsValidResponse)
        {
            var error = response.ElasticsearchServerError?.Error;
            throw Failed(what, response.ApiCallDetails, null, error is null ? null : (error.Type, error.Reason));
        }
    }

    /// <summary>Turns a failed call into an exception that says what failed, whether it is transient, and what to do.</summary>
    private ElasticsearchException Failed(string what, ApiCallDetails? details, Exception? exception, (string? Type, string? Reason)? error = null)
    {
        var status = details?.HttpStatusCode;
        if (exception is UnsupportedProductException || (exception?.InnerException is UnsupportedProductException))
        {
            return new ElasticsearchException(
                $"The server at {_endpoint} is not Elasticsearch (no X-Elastic-Product header): check ConnectionStrings:elasticsearch.",
                null, "unsupported_product", isTransient: false, exception);
        }

        ElasticsearchException result;
        if (status is null)
        {
            var cause = details?.OriginalException ?? exception;
            var timedOut = cause is TaskCanceledException or TimeoutException || cause?.InnerException is TimeoutException;
            var reason = timedOut
                ? $"did not answer {what} within {_requestTimeout.TotalSeconds:0.#} s"
                : $"is unreachable ({Innermost(cause)})";
            result = new ElasticsearchException($"Elasticsearch at {_endpoint} {reason}.", null, null, isTransient: true, exception);
        }
        else
        {
            var hint = status switch
            {
                401 => " Check the credentials in ConnectionStrings:elasticsearch.",
                403 => " The user lacks a privilege for this request (it needs write, create_index and manage_index_templates).",
                _ => string.Empty,
            };
            result = new ElasticsearchException(
                $"Elasticsearch answered {status} to {what.Split('?')[0]}: {error?.Type}: {error?.Reason}.{hint}",
                (HttpStatusCode)status.Value, error?.Type, ElasticsearchException.IsTransientStatus(status.Value), exception);
        }

        if (result.IsTransient)
        {
            Availability.ReportFailure(result.Message);
            MarkTemplatesSuspect();
        }

        return result;
    }

    private static (string? Type, string? Reason)? ErrorOf(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > 0)
        {
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(bytes);
                if (doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
                {
                    return error.ValueKind == System.Text.Json.JsonValueKind.Object
                        ? (error.TryGetProperty("type", out var t) ? t.GetString() : null, error.TryGetProperty("reason", out var r) ? r.GetString() : null)
                        : (null, error.ToString());
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON (a proxy's HTML page, say): fall through.
            }

            return (null, System.Text.Encoding.UTF8.GetString(bytes.Span[..Math.Min(bytes.Length, 300)]));
        }

        return null;
    }

    private static string Innermost(Exception? ex)
    {
        while (ex?.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex?.Message ?? "no response";
    }
}
