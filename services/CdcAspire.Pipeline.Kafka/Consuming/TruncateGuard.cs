using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Kafka.Debezium;
using Confluent.Kafka;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// Debezium sends truncate events with a null key
/// (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-truncate-events),
/// so the producer's partitioner puts them on any partition: with more than one, a truncate is not ordered
/// against the row events of its table and could delete rows inserted after it. Such a truncate is dead-lettered.
/// Runs on the session's consume thread (the partition counts it caches are that thread's).
/// </summary>
internal sealed class TruncateGuard
{
    private readonly Dictionary<string, int> partitionCounts = new(StringComparer.Ordinal);

    /// <summary><paramref name="decoded"/>, or its dead letter when it is a truncate on a topic of several partitions.</summary>
    public DecodeResult Check(IConsumer<byte[]?, byte[]?> client, string topic, DecodeResult decoded) =>
        decoded.Change is { Kind: ChangeKind.Truncate } truncate && PartitionCount(client, topic) != 1
            ? DecodeResult.Failed(Unordered(topic), truncate.Table.ToString())
            : decoded;

    private static DecodeException Unordered(string topic) => new(
        "truncate_unordered",
        $"Truncate event on '{topic}', which has more than one partition: truncates have a null key, so they are not ordered " +
        "with the table's row events. Use a single-partition topic for tables that are truncated, or skip truncates in the " +
        "connector with skipped.operations=t.");

    private int PartitionCount(IConsumer<byte[]?, byte[]?> client, string topic)
    {
        if (partitionCounts.TryGetValue(topic, out var cached))
        {
            return cached;
        }

        try
        {
            using var admin = new DependentAdminClientBuilder(client.Handle).Build();
            var count = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
            partitionCounts[topic] = count;
            return count;
        }
        catch (KafkaException ex)
        {
            throw new PipelineException($"Reading the partition count of '{topic}' failed ({ex.Error.Reason}); retrying.", isTransient: true, ex);
        }
    }
}
