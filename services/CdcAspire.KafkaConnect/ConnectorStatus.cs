namespace CdcAspire.KafkaConnect;

/// <summary>A connector's status with its tasks.</summary>
public sealed record ConnectorStatus(string Name, ConnectorState Connector, IReadOnlyList<ConnectorState> Tasks, string? Type)
{
    public bool IsHealthy => !Connector.IsFailed && Tasks.Count > 0 && Tasks.All(t => t.State == "RUNNING");

    public IEnumerable<ConnectorState> FailedTasks => Tasks.Where(t => t.IsFailed);
}
