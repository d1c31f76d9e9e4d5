using Confluent.Kafka;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// Per-partition progress shared by the consume loop (assign, yield, revoke: one thread at a time inside
/// Consume) and the acknowledgement path (any thread). One lock; revocation waits on it for acknowledgements.
/// </summary>
internal sealed class PartitionTracker
{
    private readonly object gate = new();
    private readonly Dictionary<TopicPartition, PartitionState> states = [];
    private long nextGeneration;

    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        lock (gate)
        {
            foreach (var partition in partitions)
            {
                states[partition] = new PartitionState(++nextGeneration);
            }
        }
    }

    /// <summary>The generation of an assigned partition that may still yield; false once revoked or lost.</summary>
    public bool TryGetGeneration(TopicPartition partition, out long generation)
    {
        lock (gate)
        {
            var assigned = states.TryGetValue(partition, out var state) && !state.Revoking;
            generation = assigned ? state!.Generation : 0;
            return assigned;
        }
    }

    public void Yielded(TopicPartition partition, long offset)
    {
        lock (gate)
        {
            if (states.TryGetValue(partition, out var state))
            {
                state.Yielded = Math.Max(state.Yielded, offset);
            }
        }
    }

    /// <summary>
    /// Records an acknowledgement and runs <paramref name="store"/> under the lock, so a store never races with the
    /// commit-and-remove of a revocation. False when the checkpoint belongs to an assignment that is gone.
    /// </summary>
    public bool Acknowledge(KafkaCheckpoint checkpoint, Action<KafkaCheckpoint> store)
    {
        lock (gate)
        {
            var partition = new TopicPartition(checkpoint.Topic, checkpoint.Partition);
            if (!states.TryGetValue(partition, out var state) || state.Generation != checkpoint.Generation)
            {
                return false;
            }

            if (checkpoint.Offset > state.Acknowledged)
            {
                store(checkpoint);
                state.Acknowledged = checkpoint.Offset;
            }

            Monitor.PulseAll(gate);
            return true;
        }
    }

    /// <summary>Stops yielding from <paramref name="partitions"/>, then waits (bounded) until all that was yielded is acknowledged.</summary>
    public bool RevokeAndWait(IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (gate)
        {
            foreach (var partition in partitions)
            {
                if (states.TryGetValue(partition, out var state))
                {
                    state.Revoking = true;
                }
            }

            while (true)
            {
                var pending = partitions.Any(p => states.TryGetValue(p, out var s) && !s.Drained);
                var remaining = deadline - Environment.TickCount64;
                if (!pending)
                {
                    return true;
                }

                if (remaining <= 0)
                {
                    return false;
                }

                Monitor.Wait(gate, TimeSpan.FromMilliseconds(remaining));
            }
        }
    }

    /// <summary>Removes the partitions and returns the offsets to commit for them (acknowledged + 1).</summary>
    public List<TopicPartitionOffset> Remove(IEnumerable<TopicPartition> partitions)
    {
        lock (gate)
        {
            var offsets = new List<TopicPartitionOffset>();
            foreach (var partition in partitions)
            {
                if (states.Remove(partition, out var state) && state.Acknowledged >= 0)
                {
                    offsets.Add(new TopicPartitionOffset(partition, new Offset(state.Acknowledged + 1)));
                }
            }

            Monitor.PulseAll(gate);
            return offsets;
        }
    }

    public List<TopicPartition> Assigned()
    {
        lock (gate)
        {
            return [.. states.Keys];
        }
    }
}
