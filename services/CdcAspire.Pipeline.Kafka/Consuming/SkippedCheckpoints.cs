using Confluent.Kafka;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// Checkpoints of skipped messages (transaction records, heartbeats, ignored tables, tombstones), merged: only the
/// latest offset per partition is kept, and they are released before the next change, after
/// <see cref="MaxMessages"/> skipped messages or once the oldest is <see cref="MaxAge"/> old. A skipped message
/// puts nothing downstream, so a later checkpoint of its partition covers it; without merging, a stream of
/// heartbeats while Elasticsearch is slow would queue one checkpoint per message.
/// </summary>
internal sealed class SkippedCheckpoints
{
    public const int MaxMessages = 1000;

    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<TopicPartition, KafkaCheckpoint> pending = [];
    private int count;
    private long oldestAt;

    public bool IsEmpty => pending.Count == 0;

    /// <summary>True when the merged checkpoints should be released now.</summary>
    public bool Due => count >= MaxMessages || (count > 0 && Environment.TickCount64 - oldestAt >= (long)MaxAge.TotalMilliseconds);

    /// <summary>How long until <see cref="Due"/> turns true by age (zero if already due, <paramref name="idle"/> when empty).</summary>
    public TimeSpan Remaining(TimeSpan idle) =>
        count == 0 ? idle : TimeSpan.FromMilliseconds(Math.Clamp(oldestAt + (long)MaxAge.TotalMilliseconds - Environment.TickCount64, 0, (long)idle.TotalMilliseconds));

    public void Add(KafkaCheckpoint checkpoint)
    {
        if (count == 0)
        {
            oldestAt = Environment.TickCount64;
        }

        pending[new TopicPartition(checkpoint.Topic, checkpoint.Partition)] = checkpoint;
        count++;
    }

    /// <summary>The merged checkpoints, one per partition, and a fresh start.</summary>
    public List<KafkaCheckpoint> Take()
    {
        var taken = pending.Values.ToList();
        pending.Clear();
        count = 0;
        return taken;
    }
}
