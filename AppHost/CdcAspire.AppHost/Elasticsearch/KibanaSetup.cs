using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Diagnostics;
using CdcAspire.AppHost.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.AppHost.Elasticsearch;

/// <summary>The two calls that make Kibana usable without a person clicking through it.</summary>
public static class KibanaSetup
{
    /// <summary>
    /// <c>POST /_security/user/kibana_system/_password</c> as <c>elastic</c>
    /// (https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-security-change-password). Idempotent.
    /// </summary>
    public static async Task SetKibanaSystemPasswordAsync(ElasticsearchResource elasticsearch, ParameterResource password, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(elasticsearch);
        var uri = new Uri(await elasticsearch.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException("Elasticsearch has no address yet."));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = ElasticsearchHealthCheck.Authorized(HttpMethod.Post, uri, $"_security/user/{KibanaResource.SystemUser}/_password");
        request.Content = JsonContent.Create(new { password = await password.GetValueAsync(cancellationToken) });
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The body is Elasticsearch's error (no secret in it); the password is never logged.
            throw new InvalidOperationException(
                $"Setting the {KibanaResource.SystemUser} password failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        Log.KibanaSystemPasswordSet(logger, KibanaResource.SystemUser);
    }

    /// <summary>
    /// One data view per synced index (<c>POST /api/data_views/data_view</c> with <c>override</c>, so a rerun keeps
    /// one view per index: https://www.elastic.co/docs/api/doc/kibana/operation/operation-createdataviewdefaultw).
    /// </summary>
    public static async Task CreateDataViewsAsync(KibanaResource kibana, IReadOnlyList<string> indexes, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(kibana);
        var elastic = new Uri(await kibana.Elasticsearch.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException("Elasticsearch has no address yet."));
        var kibanaUrl = new Uri(await kibana.HttpEndpoint.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException("Kibana has no address yet."));
        // The Kibana API takes the elastic user's basic credentials; reuse the Elasticsearch URI's user info.
        var withCredentials = new UriBuilder(kibanaUrl) { UserName = elastic.UserInfo.Split(':')[0], Password = elastic.UserInfo.Split(':', 2)[1] }.Uri;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var index in indexes)
        {
            using var request = ElasticsearchHealthCheck.Authorized(HttpMethod.Post, withCredentials, "api/data_views/data_view");
            request.Headers.Add("kbn-xsrf", "cdcaspire");
            request.Content = JsonContent.Create(new { data_view = new { id = $"cdcaspire-{index}", title = index, name = index }, @override = true });
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                Log.DataViewCreated(logger, index);
            }
            else
            {
                Log.DataViewFailed(logger, index, (int)response.StatusCode);
            }
        }
    }
}
