using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CdcAspire.AppHost.Health;

/// <summary>
/// Healthy when <c>GET /_cluster/health</c> answers green or yellow with the connection string's credentials
/// (https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-cluster-health). Works for the container
/// and for an existing server alike.
/// </summary>
public sealed class ElasticsearchHealthCheck(Func<CancellationToken, ValueTask<string?>> connectionString, HttpClient http) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var value = await connectionString(cancellationToken);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return HealthCheckResult.Unhealthy("The Elasticsearch connection string is not a URI yet.");
        }

        try
        {
            using var request = Authorized(HttpMethod.Get, uri, "_cluster/health");
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return HealthCheckResult.Unhealthy($"GET /_cluster/health answered {(int)response.StatusCode}.");
            }

            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var status = body.RootElement.TryGetProperty("status", out var s) ? s.GetString() : null;
            return status is "green" or "yellow"
                ? HealthCheckResult.Healthy($"cluster {status}")
                : HealthCheckResult.Unhealthy($"cluster {status ?? "unknown"}");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Elasticsearch is unreachable: " + ex.Message);
        }
    }

    /// <summary>A request to <paramref name="path"/> with the URI's user info as basic credentials (not in the URL).</summary>
    public static HttpRequestMessage Authorized(HttpMethod method, Uri connectionString, string path)
    {
        var baseUri = new UriBuilder(connectionString) { UserName = string.Empty, Password = string.Empty, Path = "/" }.Uri;
        var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        if (!string.IsNullOrEmpty(connectionString.UserInfo))
        {
            var credentials = Uri.UnescapeDataString(connectionString.UserInfo);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        return request;
    }
}
