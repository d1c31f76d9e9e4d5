using Aspire.Hosting.ApplicationModel;

namespace CdcAspire.AppHost;

/// <summary>How one container reaches another.</summary>
public static class ContainerAddress
{
    /// <summary>
    /// <c>host:port</c> of <paramref name="endpoint"/> as seen from another container: in run mode the resource's
    /// name on Aspire's container network and the container's own port (the host port belongs to the proxy on the
    /// host); in the manifest the endpoint's binding, which the deployment tool resolves.
    /// </summary>
    public static ReferenceExpression Of(EndpointReference endpoint, DistributedApplicationExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(context);
        return context.IsRunMode
            ? ReferenceExpression.Create($"{endpoint.Resource.Name}:{endpoint.Property(EndpointProperty.TargetPort)}")
            : ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}");
    }
}
