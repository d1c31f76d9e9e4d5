namespace CdcAspire.KafkaConnect;

/// <summary>State of a connector or one of its tasks (<c>GET /connectors/{name}/status</c>).</summary>
/// <param name="Id">Task id; null for the connector itself.</param>
/// <param name="State">UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED or RESTARTING.</param>
/// <param name="WorkerId">The worker running it.</param>
/// <param name="Trace">The stack trace of a FAILED connector or task.</param>
public sealed record ConnectorState(int? Id, string State, string? WorkerId, string? Trace)
{
    public bool IsFailed => string.Equals(State, "FAILED", StringComparison.Ordinal);
}
