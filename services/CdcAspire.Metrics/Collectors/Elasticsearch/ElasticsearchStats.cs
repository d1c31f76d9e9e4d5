using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CdcAspire.Metrics.Collectors.Elasticsearch;

/// <summary>
/// All of the service's Elasticsearch access, in one small class: cluster health
/// (https://www.elastic.co/guide/en/elasticsearch/reference/current/cluster-health.html) and index statistics
/// (https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-stats.html, primaries' docs.count and
/// indexing.index_total). Plain HTTP + JSON: two read-only GETs need no client library, and the pipeline's client is
/// being moved onto Elastic.Clients.Elasticsearch meanwhile.
/// </summary>
internal sealed class ElasticsearchStats(HttpClient http, Uri baseAddress, AuthenticationHeaderValue? authorization)
{
    public sealed record IndexStats(long Docs, long IndexTotal);

    /// <summary>Parses the Aspire connection string, <c>http(s)://[user:password@]host:port</c>; null when empty.</summary>
    public static (Uri BaseAddress, AuthenticationHeaderValue? Authorization)? ParseConnectionString(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.StartsWith("Endpoint=", StringComparison.OrdinalIgnoreCase) ? value["Endpoint=".Length..].Split(';')[0] : value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            // The value may hold a password: the message names the key, never the value.
            throw new InvalidOperationException("ConnectionStrings:elasticsearch is not an http(s)://[user:password@]host:port URL.");
        }

        AuthenticationHeaderValue? auth = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var userInfo = Uri.UnescapeDataString(uri.UserInfo);
            auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        }

        return (new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Path = "/" }.Uri, auth);
    }

    public Uri Address => baseAddress;

    /// <summary>"green", "yellow" or "red".</summary>
    public async Task<string> ClusterHealthAsync(CancellationToken cancellationToken)
    {
        using var doc = await GetAsync("_cluster/health", cancellationToken);
        return doc.RootElement.GetProperty("status").GetString() ?? "unknown";
    }

    /// <summary>
    /// Per index: primaries' document count and indexing total. System indices (".") are left out. An index behind
    /// exactly one alias is reported under the alias (the sink writes <c>products</c> → <c>products-v1</c>), so a
    /// series keeps its name across a resync, which replaces the index behind the alias.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IndexStats>> IndexStatsAsync(IReadOnlyList<string> indices, CancellationToken cancellationToken)
    {
        var target = indices.Count == 0 ? "_all" : string.Join(',', indices.Select(Uri.EscapeDataString));
        using var doc = await GetAsync($"{target}/_stats/docs,indexing?ignore_unavailable=true&allow_no_indices=true", cancellationToken);
        var result = new SortedDictionary<string, IndexStats>(StringComparer.Ordinal);
        var aliases = await SingleAliasesAsync(cancellationToken);
        if (!doc.RootElement.TryGetProperty("indices", out var all))
        {
            return result;
        }

        foreach (var index in all.EnumerateObject())
        {
            if (index.Name.StartsWith('.') || !index.Value.TryGetProperty("primaries", out var primaries))
            {
                continue;
            }

            var docs = primaries.TryGetProperty("docs", out var d) && d.TryGetProperty("count", out var c) ? c.GetInt64() : 0;
            var total = primaries.TryGetProperty("indexing", out var i) && i.TryGetProperty("index_total", out var t) ? t.GetInt64() : 0;
            var name = aliases.TryGetValue(index.Name, out var alias) ? alias : index.Name;
            result[name] = result.TryGetValue(name, out var seen) ? new IndexStats(seen.Docs + docs, seen.IndexTotal + total) : new IndexStats(docs, total);
        }

        return result;
    }

    /// <summary>Concrete index → its alias, for indices with exactly one (GET _alias; https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-alias.html).</summary>
    private async Task<Dictionary<string, string>> SingleAliasesAsync(CancellationToken cancellationToken)
    {
        using var doc = await GetAsync("_alias", cancellationToken);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var index in doc.RootElement.EnumerateObject())
        {
            if (index.Value.TryGetProperty("aliases", out var aliases) && aliases.ValueKind == JsonValueKind.Object
                && aliases.EnumerateObject().ToList() is [var only])
            {
                result[index.Name] = only.Name;
            }
        }

        return result;
    }

    private async Task<JsonDocument> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path));
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /{path.Split('?')[0]} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
    }
}
