using Aspire.Hosting.ApplicationModel;

namespace CdcAspire.AppHost.Kafka;

/// <summary>
/// One Kafka broker in KRaft mode (broker and controller in one process). Two listeners: <c>tcp</c> for the host
/// (the services), <c>internal</c> for other containers (Debezium Connect). Connection string: bootstrap servers
/// <c>host:port</c>, as the sink reads <c>ConnectionStrings:kafka</c>.
/// </summary>
public sealed class KafkaResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string InternalEndpointName = "internal";

    public EndpointReference PrimaryEndpoint => field ??= new EndpointReference(this, PrimaryEndpointName);

    public EndpointReference InternalEndpoint => field ??= new EndpointReference(this, InternalEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
