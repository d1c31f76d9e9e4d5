extern alias metrics;
using CdcAspire.Pipeline.Kafka.Consuming;
using Confluent.Kafka;
using metrics::CdcAspire.Metrics.Collectors.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdcAspire.Metrics.Tests;

/// <summary>Consumer-group lag per partition against librdkafka's mock cluster (the real Kafka protocol).</summary>
public sealed class ConsumerLagTests
{
    [Fact]
    public async Task LagPerPartitionIsTheHighWatermarkMinusTheGroupsCommittedOffset()
    {
        var ct = TestContext.Current.CancellationToken;
        KafkaNativeLibrary.EnsureLoaded();
        var ownerConfig = new ProducerConfig { BootstrapServers = "127.0.0.1:1" };
        ownerConfig.Set("test.mock.num.brokers", "1");
        using var owner = new ProducerBuilder<Null, string>(ownerConfig).Build();
        string bootstrap;
        using (var admin = new DependentAdminClientBuilder(owner.Handle).Build())
        {
            bootstrap = string.Join(',', admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
        }

        const string topic = "cdc.public.orders";
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All }).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, new Partition(0)), new Message<Null, string> { Value = "m" + i }, ct);
            }
        }

        using (var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "sink-group", EnableAutoCommit = false }).Build())
        {
            consumer.Commit([new TopicPartitionOffset(topic, new Partition(0), new Offset(2))]);
        }

        var probe = new ConsumerLagProbe(bootstrap, ["sink-group"], TimeSpan.FromSeconds(10), NullLogger<ConsumerLagProbe>.Instance);
        var report = await probe.ProbeAsync(ct);

        Assert.True(report.Metrics.ConsumerLag.Count > 0, report.ToString());
        Assert.Equal("kafka", Assert.Single(report.Components).Name);
        Assert.Equal(1, (int)report.Components[0].Status);
        var lag = Assert.Single(report.Metrics.ConsumerLag, l => l.Topic == topic && l.Partition == 0);
        Assert.Equal("sink-group", lag.Group);
        Assert.Equal(3, lag.Lag);
    }

    [Fact]
    public async Task WithoutBootstrapServersTheProbeIsNotConfigured()
    {
        var probe = new ConsumerLagProbe(null, ["g"], TimeSpan.FromSeconds(1), NullLogger<ConsumerLagProbe>.Instance);
        var report = await probe.ProbeAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4, (int)Assert.Single(report.Components).Status);
        Assert.Empty(report.Metrics.ConsumerLag);
    }
}
