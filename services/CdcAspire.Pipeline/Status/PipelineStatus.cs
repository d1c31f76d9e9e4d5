using System.Collections.Concurrent;
using System.Globalization;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Elasticsearch;

namespace CdcAspire.Pipeline.Status;

/// <summary>
/// The pipeline's observable state, shared with the gRPC API: phase, per-table counters, the last acknowledged
/// position, lag, and the pause switch. Phase changes bump <see cref="Version"/> and wake watchers.
/// </summary>
public sealed class PipelineStatus
{
    private readonly ConcurrentDictionary<TableId, TableStatus> _tables = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _resumed;
    private long _version;
    private ElasticsearchAvailability? _elasticsearch;

    public string SourceName { get; internal set; } = "none";

    public PipelinePhase Phase { get; private set; } = PipelinePhase.Starting;

    public string? FailureReason { get; private set; }

    public bool IsPaused => _resumed is not null;

    /// <summary>When Elasticsearch stopped answering (the current outage began), or null while it answers.</summary>
    public DateTimeOffset? ElasticsearchUnavailableSince => Volatile.Read(ref _elasticsearch)?.UnavailableSince;

    /// <summary>
    /// Why the pipeline is running but not making progress (Elasticsearch unreachable), or null. The phase stays as it
    /// is (the pipeline resumes by itself when Elasticsearch answers); health turns Degraded, then Unhealthy, by how
    /// long this has lasted.
    /// </summary>
    public string? DegradedReason => Volatile.Read(ref _elasticsearch) is { UnavailableSince: { } since } es
        ? string.Create(CultureInfo.InvariantCulture, $"Elasticsearch unavailable since {since:yyyy-MM-dd HH:mm:ss} UTC: {es.Reason}")
        : null;

    /// <summary>Last acknowledged source position (an LSN, or Kafka offsets), as text.</summary>
    public string? LastAcknowledged { get; private set; }

    public DateTimeOffset? LastAcknowledgedAt { get; private set; }

    /// <summary>WAL bytes between the server's current position and the slot's confirmed position.</summary>
    public long LagBytes { get; internal set; }

    /// <summary>Age of the oldest committed change not yet acknowledged, in seconds (0 when caught up).</summary>
    public double LagSeconds { get; internal set; }

    /// <summary>Increases on every phase, table-phase or pause change.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyCollection<TableStatus> Tables => _tables.Values.OrderBy(t => t.Table.ToString(), StringComparer.Ordinal).ToList();

    public TableStatus Table(TableId table, string index) => _tables.GetOrAdd(table, t => new TableStatus(t, index));

    public bool TryGetTable(TableId table, out TableStatus? status) => _tables.TryGetValue(table, out status);

    public void Pause()
    {
        lock (_gate)
        {
            _resumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        NotifyChanged();
    }

    public void Resume()
    {
        TaskCompletionSource? resumed;
        lock (_gate)
        {
            resumed = _resumed;
            _resumed = null;
        }

        resumed?.TrySetResult();
        NotifyChanged();
    }

    /// <summary>Returns at once unless paused; then waits for <see cref="Resume"/>.</summary>
    public Task WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        var resumed = _resumed;
        return resumed is null ? Task.CompletedTask : resumed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Completes when <see cref="Version"/> moves past <paramref name="seenVersion"/>.</summary>
    public Task WaitForChangeAsync(long seenVersion, CancellationToken cancellationToken)
    {
        var changed = Volatile.Read(ref _changed);
        return Version != seenVersion ? Task.CompletedTask : changed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Status reads Elasticsearch's availability from the client the pipeline writes with.</summary>
    public void AttachElasticsearch(ElasticsearchAvailability availability) => Volatile.Write(ref _elasticsearch, availability);

    internal void SetPhase(PipelinePhase phase, string? failureReason = null)
    {
        Phase = phase;
        FailureReason = failureReason;
        NotifyChanged();
    }

    /// <summary>Marks the pipeline failed with a reason that is safe to show (no secrets).</summary>
    public void SetPhaseFailed(string reason) => SetPhase(PipelinePhase.Failed, reason);

    /// <summary>Marks one table as not followed while the others stream.</summary>
    internal void RefuseTable(TableStatus table, string reason)
    {
        table.FailureReason = reason;
        SetTablePhase(table, PipelinePhase.Failed);
    }

    internal void SetTablePhase(TableStatus table, PipelinePhase phase)
    {
        table.Phase = phase;
        NotifyChanged();
    }

    internal void SetAcknowledged(string position, DateTimeOffset at)
    {
        LastAcknowledged = position;
        LastAcknowledgedAt = at;
    }

    /// <summary>Wakes watchers, e.g. for snapshot progress.</summary>
    internal void NotifyChanged()
    {
        Interlocked.Increment(ref _version);
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _changed, next).TrySetResult();
    }
}
