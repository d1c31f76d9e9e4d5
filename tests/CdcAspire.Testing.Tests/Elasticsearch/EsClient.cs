using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CdcAspire.Testing.Elasticsearch;

namespace CdcAspire.Testing.Tests.Elasticsearch;

/// <summary>A plain HttpClient speaking to the test server as our production client does; every call has a timeout.</summary>
public sealed class EsClient : IDisposable
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public EsClient(ElasticsearchTestServer server, string? user = null, string? password = null)
    {
        _http = new HttpClient { BaseAddress = server.Uri, Timeout = CallTimeout };
        if (user is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    public HttpClient Http => _http;

    public Task<EsResponse> BulkAsync(string ndjson, string path = "_bulk") =>
        SendAsync(HttpMethod.Post, path, ndjson, "application/x-ndjson");

    public Task<EsResponse> BulkAsync(IEnumerable<object> lines, string path = "_bulk") =>
        BulkAsync(string.Concat(lines.Select(l => JsonSerializer.Serialize(l) + "\n")), path);

    public Task<EsResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<EsResponse> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, Json(body));

    public Task<EsResponse> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body is null ? null : Json(body));

    public async Task<EsResponse> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var cts = new CancellationTokenSource(CallTimeout);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await _http.SendAsync(request, cts.Token);
        var text = await response.Content.ReadAsStringAsync(cts.Token);
        var json = default(JsonElement);
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            json = JsonDocument.Parse(text).RootElement.Clone();
        }

        return new EsResponse(response.StatusCode, json, text, response.Headers);
    }

    public static string Json(object body) => body as string ?? JsonSerializer.Serialize(body);

    public void Dispose() => _http.Dispose();
}
