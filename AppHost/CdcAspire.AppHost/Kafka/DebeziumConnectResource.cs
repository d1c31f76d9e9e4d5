using Aspire.Hosting.ApplicationModel;

namespace CdcAspire.AppHost.Kafka;

/// <summary>A Kafka Connect worker with the Debezium connectors (<c>quay.io/debezium/connect</c>), REST API on 8083.</summary>
public sealed class DebeziumConnectResource(string name) : ContainerResource(name)
{
    public const string HttpEndpointName = "http";

    public EndpointReference HttpEndpoint => field ??= new EndpointReference(this, HttpEndpointName);
}
