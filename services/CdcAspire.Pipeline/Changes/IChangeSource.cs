namespace CdcAspire.Pipeline.Changes;

/// <summary>
/// Where changes come from: pgoutput through Npgsql, or Debezium events through Kafka. A source knows nothing of
/// Elasticsearch; it yields changes in commit order with checkpoints between them and is told which checkpoint
/// is safe to acknowledge.
/// </summary>
public interface IChangeSource : IAsyncDisposable
{
    /// <summary>The source's one name (<see cref="SourceNames"/>: <c>postgres</c>, <c>kafka</c>), reported in status and logs.</summary>
    string Name { get; }

    /// <summary>Checks the source is usable (permissions, settings) and prepares it. Throws with the fix in the message.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Changes and checkpoints, in order, until cancelled. May be called again after a failure.</summary>
    IAsyncEnumerable<SourceItem> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Everything up to and including <paramref name="checkpoint"/> is durable downstream.</summary>
    ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken);
}
