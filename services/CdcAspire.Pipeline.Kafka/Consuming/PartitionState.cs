namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>Progress of one assigned partition: what was handed to the pipeline, and what it acknowledged.</summary>
internal sealed class PartitionState(long generation)
{
    public long Generation { get; } = generation;

    /// <summary>Highest offset whose checkpoint was yielded; -1 before the first.</summary>
    public long Yielded { get; set; } = -1;

    /// <summary>Highest offset acknowledged (and stored); -1 before the first.</summary>
    public long Acknowledged { get; set; } = -1;

    /// <summary>Being revoked: nothing more is yielded from it.</summary>
    public bool Revoking { get; set; }

    public bool Drained => Acknowledged >= Yielded;
}
