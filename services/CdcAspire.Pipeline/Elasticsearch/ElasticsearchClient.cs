using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// The small part of Elasticsearch's REST API the pipeline needs, over one HttpClient. It never retries: the writer
/// owns retries because only it knows what may be resent and when. Every failure becomes an
/// <see cref="ElasticsearchException"/> that says whether it is transient, and no message contains credentials.
/// </summary>
public sealed class ElasticsearchClient(HttpClient http, ElasticsearchEndpoint endpoint)
{
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public ElasticsearchEndpoint Endpoint => endpoint;

    /// <summary>Sends one <c>_bulk</c> request; returns one outcome per action, in order.</summary>
    public async Task<BulkItemOutcome[]> BulkAsync(IReadOnlyList<IndexAction> actions, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(actions.Sum(a => a.EstimatedBytes) + 64);
        BulkBodyWriter.Write(body, actions);
        using var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = NdJson;
        var response = await SendAsync(HttpMethod.Post, "_bulk", content, cancellationToken);
        return BulkResponseReader.Read(response, actions.Count);
    }

    /// <summary>Creates or replaces a composable index template (idempotent).</summary>
    public Task PutIndexTemplateAsync(string name, string templateJson, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Put, $"_index_template/{Uri.EscapeDataString(name)}", templateJson, cancellationToken);

    /// <summary>The <c>version</c> of a stored index template, or null when it is missing or has none.</summary>
    public async Task<long?> GetIndexTemplateVersionAsync(string name, CancellationToken cancellationToken)
    {
        var body = await SendJsonOrNotFoundAsync(HttpMethod.Get, $"_index_template/{Uri.EscapeDataString(name)}", null, cancellationToken);
        if (body is null)
        {
            return null;
        }

        // {"index_templates":[{"name":"users","index_template":{"version":1,...}}]}
        using var doc = JsonDocument.Parse(body);
        foreach (var template in doc.RootElement.GetProperty("index_templates").EnumerateArray())
        {
            if (template.GetProperty("name").GetString() == name &&
                template.GetProperty("index_template").TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number)
            {
                return version.GetInt64();
            }
        }

        return null;
    }

    /// <summary>Makes recent writes visible to search and delete-by-query.</summary>
    public Task RefreshAsync(string index, CancellationToken cancellationToken) =>
        SendJsonOrNotFoundAsync(HttpMethod.Post, $"{Uri.EscapeDataString(index)}/_refresh", null, cancellationToken);

    /// <summary>
    /// Deletes every document of an index (a TRUNCATE). Only called when nothing else for the index is in flight, so
    /// it cannot remove a write that came after the truncate.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-delete-by-query.html
    /// </summary>
    public async Task<long> DeleteAllAsync(string index, CancellationToken cancellationToken)
    {
        var body = await SendJsonOrNotFoundAsync(
            HttpMethod.Post,
            $"{Uri.EscapeDataString(index)}/_delete_by_query?conflicts=proceed&refresh=true",
            """{"query":{"match_all":{}}}""",
            cancellationToken);
        if (body is null)
        {
            return 0; // No index yet: nothing to truncate.
        }

        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("deleted", out var deleted) ? deleted.GetInt64() : 0;
    }

    /// <summary>GET / : proves the address and the credentials work. Returns the server's version number.</summary>
    public async Task<string> GetVersionAsync(CancellationToken cancellationToken)
    {
        var body = await SendJsonAsync(HttpMethod.Get, string.Empty, null, cancellationToken);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("version", out var v) && v.TryGetProperty("number", out var n)
            ? n.GetString() ?? "unknown"
            : "unknown";
    }

    /// <summary>Like <see cref="SendJsonAsync"/>, but a 404 (no such index or template) is null, not an error.</summary>
    private async Task<byte[]?> SendJsonOrNotFoundAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        try
        {
            return await SendJsonAsync(method, path, json, cancellationToken);
        }
        catch (ElasticsearchException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<byte[]> SendJsonAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var content = json is null ? null : new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (content is not null)
        {
            content.Headers.ContentType = Json;
        }

        return await SendAsync(method, path, content, cancellationToken);
    }

    private async Task<byte[]> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(endpoint.BaseAddress, path)) { Content = content };
        request.Headers.Authorization = endpoint.Authorization;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ElasticsearchException(
                $"Elasticsearch at {endpoint} is unreachable ({ex.HttpRequestError}): {ex.Message}", null, null, isTransient: true, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ElasticsearchException(
                $"Elasticsearch at {endpoint} did not answer {method} /{path.Split('?')[0]} within {http.Timeout.TotalSeconds:0.#} s.",
                null, null, isTransient: true, ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            var status = (int)response.StatusCode;
            var (type, reason) = ReadError(body);
            var hint = status switch
            {
                401 => " Check the user and password in ConnectionStrings:elasticsearch.",
                403 => " The user lacks a privilege for this request (it needs write, create_index and manage_index_templates).",
                _ => string.Empty,
            };
            throw new ElasticsearchException(
                $"Elasticsearch answered {status} to {method} /{path.Split('?')[0]}: {type}: {reason}.{hint}",
                response.StatusCode, type, ElasticsearchException.IsTransientStatus(status));
        }
    }

    private static (string? Type, string? Reason) ReadError(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            {
                return error.ValueKind == JsonValueKind.Object
                    ? (error.TryGetProperty("type", out var t) ? t.GetString() : null,
                       error.TryGetProperty("reason", out var r) ? r.GetString() : null)
                    : (null, error.ToString());
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): fall through.
        }

        return (null, body.Length == 0 ? "(empty body)" : Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)));
    }
}
