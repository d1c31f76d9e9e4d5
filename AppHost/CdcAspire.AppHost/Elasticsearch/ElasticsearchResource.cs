using Aspire.Hosting.ApplicationModel;

namespace CdcAspire.AppHost.Elasticsearch;

/// <summary>
/// A single-node Elasticsearch container with security on. Its connection string is the form the services parse
/// (<c>ElasticsearchEndpoint.Parse</c>): <c>http://elastic:&lt;password&gt;@host:port</c>.
/// </summary>
public sealed class ElasticsearchResource(string name, ParameterResource password) : ContainerResource(name), IResourceWithConnectionString
{
    public const string HttpEndpointName = "http";
    public const string UserName = "elastic";

    public ParameterResource Password { get; } = password;

    public EndpointReference HttpEndpoint => field ??= new EndpointReference(this, HttpEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"http://{UserName}:{Password}@{HttpEndpoint.Property(EndpointProperty.HostAndPort)}");
}
