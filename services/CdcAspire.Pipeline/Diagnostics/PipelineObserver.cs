using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Status;

namespace CdcAspire.Pipeline.Diagnostics;

/// <summary>
/// Where the pipeline reports what happened: each event goes to both the per-table figures of
/// <see cref="PipelineStatus"/> (status API, health) and the instruments of <see cref="PipelineMetrics"/>, so neither
/// knows about the other and the writing code has one thing to tell.
/// </summary>
public sealed class PipelineObserver(PipelineMetrics metrics, PipelineStatus status)
{
    public PipelineStatus Status => status;

    public TableStatus Table(TableId table, string index) => status.Table(table, index);

    public void Received(TableId table, string index, ChangeKind kind)
    {
        var t = status.Table(table, index);
        t.AddReceived();
        metrics.Received(t.Name, kind);
    }

    /// <summary>What one request settled for one table.</summary>
    public void Settled(TableId table, string index, int indexed, int deleted, int superseded)
    {
        var t = status.Table(table, index);
        if (indexed > 0)
        {
            t.AddIndexed(indexed);
            metrics.Indexed(t.Name, indexed);
        }

        if (deleted > 0)
        {
            t.AddDeleted(deleted);
            metrics.Deleted(t.Name, deleted);
        }

        if (superseded > 0)
        {
            t.AddSuperseded(superseded);
            metrics.Superseded(t.Name, superseded);
        }
    }

    public void DeadLettered(string? table, int count)
    {
        if (table is not null && status.TryGetTable(TableId.Parse(table), out var t) && t is not null)
        {
            t.AddDeadLettered(count);
        }

        metrics.DeadLettered(table, count);
    }

    public void Retried(int count) => metrics.Retried(count);

    public void BulkCompleted(int size, TimeSpan duration) => metrics.BulkCompleted(size, duration);

    public void Acknowledged(TimeSpan commitToAck) => metrics.Acknowledged(commitToAck);
}
