using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Kafka;

/// <summary>
/// Everything read from <paramref name="Topic"/>/<paramref name="Partition"/> up to and including
/// <paramref name="Offset"/>. Acknowledging it stores offset + 1 for commit. <paramref name="Generation"/> ties it to
/// one assignment of the partition: after a revocation, late acknowledgements of the old assignment are ignored.
/// </summary>
public sealed record KafkaCheckpoint(string Topic, int Partition, long Offset, long Generation) : Checkpoint
{
    public override string ToString() => $"{Topic}/{Partition}@{Offset}";
}
