using CdcAspire.Metrics.V1;

namespace CdcAspire.Metrics.Collectors;

/// <summary>
/// Reads one part of the chain. It returns its components and the part of <see cref="ChainMetrics"/> it knows; the
/// collector merges them (protobuf MergeFrom), so probes run in parallel without sharing state. A probe never
/// throws for an unreachable component: that is a component that is down.
/// </summary>
internal interface IChainProbe
{
    /// <summary>The component reported down when the probe itself times out or fails unexpectedly.</summary>
    string Name { get; }

    Task<HealthReport> ProbeAsync(CancellationToken cancellationToken);
}
