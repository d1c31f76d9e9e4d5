using CdcAspire.Pipeline.Changes;
using Confluent.Kafka;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// Spots a snapshot read with <c>Major</c> 0 (no previous commit in the connector's offsets: <c>snapshot.mode=always</c>
/// or <c>when_needed</c>, or lost offsets) after this source already saw committed positions. Its versions are below
/// what is indexed, so Elasticsearch would reject it as stale: a re-snapshot belongs in a new index (README.md).
/// </summary>
internal sealed class ResnapshotDetector
{
    private readonly HashSet<TopicPartition> warned = [];
    private bool sawCommitted;

    /// <summary>True once per partition, for the first such snapshot read on it.</summary>
    public bool ShouldWarn(TopicPartition partition, ChangeEvent change)
    {
        if (change.Position.Major > 0)
        {
            sawCommitted = true;
            return false;
        }

        return change.Kind == ChangeKind.Snapshot && sawCommitted && warned.Add(partition);
    }
}
