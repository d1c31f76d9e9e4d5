using System.Text;
using CdcAspire.Pipeline.Kafka.Consuming;
using Confluent.Kafka;

namespace CdcAspire.Kafka.Tests.Infrastructure;

/// <summary>
/// librdkafka's built-in mock cluster (real Kafka protocol over TCP on 127.0.0.1): an owner producer created with
/// <c>test.mock.num.brokers=3</c> starts the brokers and keeps them alive; their addresses come from its metadata.
/// Topics are auto-created on first produce, with the mock's default partition count. CreateTopics does not work here:
/// 2.0's mock ignored it, and with the bundled 2.16 an admin client times out "waiting for controller" (the mock
/// advertises none), so tests read the partition count instead of choosing it.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> owner;
    private readonly IProducer<byte[]?, byte[]?> producer;

    public MockKafkaCluster()
    {
        KafkaNativeLibrary.EnsureLoaded();
        var ownerConfig = new ProducerConfig { BootstrapServers = "127.0.0.1:1" }; // replaced by the mock brokers
        ownerConfig.Set("test.mock.num.brokers", "3");
        owner = new ProducerBuilder<byte[]?, byte[]?>(ownerConfig).Build();
        using (var admin = new DependentAdminClientBuilder(owner.Handle).Build())
        {
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            BootstrapServers = string.Join(',', metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
        }

        producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            Acks = Acks.All,
            MessageTimeoutMs = 10_000,
        }).Build();
    }

    public string BootstrapServers { get; }

    public async Task<TopicPartitionOffset> ProduceAsync(string topic, string? key, string? value, int? partition = null)
    {
        var message = new Message<byte[]?, byte[]?>
        {
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = value is null ? null : Encoding.UTF8.GetBytes(value),
        };
        var result = partition is { } p
            ? await producer.ProduceAsync(new TopicPartition(topic, new Partition(p)), message)
            : await producer.ProduceAsync(topic, message);
        return result.TopicPartitionOffset;
    }

    public int PartitionCount(string topic)
    {
        using var admin = new DependentAdminClientBuilder(owner.Handle).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
    }

    /// <summary>The group's committed offsets, read with a throwaway consumer of the same group that never joins.</summary>
    public List<TopicPartitionOffset> Committed(string groupId, IEnumerable<TopicPartition> partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).Build();
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        producer.Flush(TimeSpan.FromSeconds(5));
        producer.Dispose();
        owner.Dispose();
    }
}
