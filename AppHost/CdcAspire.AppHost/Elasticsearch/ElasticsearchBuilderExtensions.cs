using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace CdcAspire.AppHost.Elasticsearch;

/// <summary>
/// Elasticsearch and Kibana as small container resources (Aspire.Hosting.Elasticsearch is not served here):
/// https://www.elastic.co/docs/deploy-manage/deploy/self-managed/install-elasticsearch-docker-basic.
/// </summary>
public static class ElasticsearchBuilderExtensions
{
    public const string Registry = "docker.elastic.co";
    public const string Image = "elasticsearch/elasticsearch";
    public const string KibanaImage = "kibana/kibana";
    public const string Tag = "8.17.3";
    public const string PasswordName = "elastic-password";
    public const string KibanaPasswordName = "kibana-password";
    public const int HttpPort = 9200;
    public const int KibanaPort = 5601;

    /// <summary>
    /// Single node, security on over plain HTTP (basic auth; the dev certificates of the security auto-configuration
    /// are turned off so the connection string stays <c>http://</c>), the <c>elastic</c> password from the
    /// <c>elastic-password</c> parameter, a data volume, a health check with those credentials.
    /// </summary>
    public static IResourceBuilder<ElasticsearchResource> AddCdcElasticsearch(this IDistributedApplicationBuilder builder, string name)
    {
        var password = builder.AddGeneratedSecret(PasswordName);
        var resource = new ElasticsearchResource(name, password.Resource);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            sp => new ElasticsearchHealthCheck(ct => resource.ConnectionStringExpression.GetValueAsync(ct), new HttpClient { Timeout = TimeSpan.FromSeconds(5) }),
            failureStatus: default,
            tags: default));

        return builder.AddResource(resource)
            .WithImage(Image, Tag)
            .WithImageRegistry(Registry)
            .WithHttpEndpoint(targetPort: HttpPort, name: ElasticsearchResource.HttpEndpointName)
            .WithEnvironment("discovery.type", "single-node")
            .WithEnvironment("xpack.security.enabled", "true")
            .WithEnvironment("xpack.security.http.ssl.enabled", "false")
            .WithEnvironment("xpack.security.transport.ssl.enabled", "false")
            .WithEnvironment("ELASTIC_PASSWORD", password)
            // A laptop-sized heap; the default takes half the machine's memory.
            .WithEnvironment("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
            .WithVolume("cdcaspire-elasticsearch-data", "/usr/share/elasticsearch/data")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// Kibana, started once Elasticsearch is healthy and the <c>kibana_system</c> password (parameter
    /// <c>kibana-password</c>) is set there; a data view per synced index is created when Kibana is ready.
    /// </summary>
    public static IResourceBuilder<KibanaResource> AddCdcKibana(this IResourceBuilder<ElasticsearchResource> elasticsearch, string name, IEnumerable<string> indexes)
    {
        var builder = elasticsearch.ApplicationBuilder;
        var password = builder.AddGeneratedSecret(KibanaPasswordName);
        var resource = new KibanaResource(name, elasticsearch.Resource, password.Resource);
        var views = indexes.Distinct(StringComparer.Ordinal).ToList();

        // Kibana 8 refuses the elastic superuser: it connects as kibana_system, whose password only the running
        // cluster can set. Dependants (Kibana) start after this callback has finished.
        elasticsearch.OnResourceReady((es, e, ct) => KibanaSetup.SetKibanaSystemPasswordAsync(es, password.Resource, e.Services, ct));

        return builder.AddResource(resource)
            .WithImage(KibanaImage, Tag)
            .WithImageRegistry(Registry)
            .WithHttpEndpoint(targetPort: KibanaPort, name: KibanaResource.HttpEndpointName)
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables["ELASTICSEARCH_HOSTS"] =
                    ReferenceExpression.Create($"http://{ContainerAddress.Of(elasticsearch.Resource.HttpEndpoint, context.ExecutionContext)}");
                context.EnvironmentVariables["ELASTICSEARCH_USERNAME"] = KibanaResource.SystemUser;
                context.EnvironmentVariables["ELASTICSEARCH_PASSWORD"] = password.Resource;
                // /api/status answers the health probe without credentials.
                context.EnvironmentVariables["STATUS_ALLOWANONYMOUS"] = "true";
            })
            .WithHttpHealthCheck("/api/status", endpointName: KibanaResource.HttpEndpointName)
            .WithParentRelationship(elasticsearch)
            .WaitFor(elasticsearch)
            .OnResourceReady((kibana, e, ct) => KibanaSetup.CreateDataViewsAsync(kibana, views, e.Services, ct));
    }
}
