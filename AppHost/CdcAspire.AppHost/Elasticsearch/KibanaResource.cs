using Aspire.Hosting.ApplicationModel;

namespace CdcAspire.AppHost.Elasticsearch;

/// <summary>Kibana in front of <see cref="ElasticsearchResource"/>, connecting as <c>kibana_system</c>.</summary>
public sealed class KibanaResource(string name, ElasticsearchResource elasticsearch, ParameterResource kibanaSystemPassword) : ContainerResource(name)
{
    public const string HttpEndpointName = "http";
    public const string SystemUser = "kibana_system";

    public ElasticsearchResource Elasticsearch { get; } = elasticsearch;

    public ParameterResource KibanaSystemPassword { get; } = kibanaSystemPassword;

    public EndpointReference HttpEndpoint => field ??= new EndpointReference(this, HttpEndpointName);
}
