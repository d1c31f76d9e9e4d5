using CdcAspire.Kafka.Tests.Infrastructure;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Kafka;
using Confluent.Kafka;

namespace CdcAspire.Kafka.Tests.Consuming;

/// <summary>What the source must refuse rather than index wrongly, against the mock cluster.</summary>
public sealed class KafkaSourceSafetyTests(MockKafkaCluster kafka)
{
    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task ASecondReadOfTheSameInstanceIsRefused()
    {
        var topic = $"{Unique("twice")}.public.users";
        await kafka.ProduceAsync(topic, DebeziumEvents.Key(1), DebeziumEvents.Change("users", "c", [Col.Number("id", 1)], 10, 11), 0);
        await using var runner = await SourceRunner.StartAsync(kafka.BootstrapServers, o => { o.GroupId = Unique("g"); o.Topics.Add(topic); });
        await runner.TakeAsync(checkpoints: 1); // the runner's read is under way

        var error = Assert.Throws<InvalidOperationException>(() => runner.Source.ReadAsync(CancellationToken.None));
        Assert.Contains("new instance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncateOnATopicWithSeveralPartitionsIsDeadLetteredWithTheFix()
    {
        var topic = $"{Unique("trunc")}.public.orders";
        await kafka.ProduceAsync(topic, null, DebeziumEvents.Change("orders", "t", null, 10, 11), 0);
        Assert.True(kafka.PartitionCount(topic) > 1);
        await using var runner = await SourceRunner.StartAsync(kafka.BootstrapServers, o => { o.GroupId = Unique("g"); o.Topics.Add(topic); });

        var items = await runner.TakeAsync(checkpoints: 1);

        Assert.DoesNotContain(items, i => i.Change is not null);
        var letter = Assert.Single(runner.DeadLetters.Letters);
        Assert.Equal("truncate_unordered", letter.ErrorType);
        Assert.Contains("skipped.operations=t", letter.ErrorReason, StringComparison.Ordinal);
        Assert.Contains("single-partition", letter.ErrorReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommittedOffsetNoLongerInTheLogFailsTheRunInsteadOfSkippingAhead()
    {
        var topic = $"{Unique("gone")}.public.users";
        var group = Unique("g");
        await kafka.ProduceAsync(topic, DebeziumEvents.Key(1), DebeziumEvents.Change("users", "c", [Col.Number("id", 1)], 10, 11), 0);
        // Retention cannot be forced in the mock cluster; a committed offset beyond the log end is out of range the same way.
        using (var committer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = group, EnableAutoCommit = false }).Build())
        {
            committer.Commit([new TopicPartitionOffset(topic, 0, 100)]);
        }

        await using var runner = await SourceRunner.StartAsync(kafka.BootstrapServers, o => { o.GroupId = group; o.Topics.Add(topic); });
        await runner.Completion.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var failure = Assert.IsType<PipelineException>(runner.Failure);
        Assert.False(failure.IsTransient);
        Assert.Contains("lost to retention", failure.Message, StringComparison.Ordinal);
        Assert.Contains("new index", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SkippedMessagesShareMergedCheckpointsThatStillCoverEveryOffset()
    {
        var users = $"{Unique("merge")}.public.users";
        var heartbeat = $"__debezium-heartbeat.{Unique("hb")}";
        for (var i = 0; i < 50; i++)
        {
            await kafka.ProduceAsync(heartbeat, "{\"serverName\":\"cdc\"}", "{\"ts_ms\":1700000000000}", 0);
        }

        await kafka.ProduceAsync(users, DebeziumEvents.Key(1), DebeziumEvents.Change("users", "c", [Col.Number("id", 1)], 10, 11), 0);
        await using var runner = await SourceRunner.StartAsync(kafka.BootstrapServers, o => { o.GroupId = Unique("g"); o.Topics.Add(users); o.Topics.Add(heartbeat); });

        var items = await runner.TakeUntilAsync(taken =>
            taken.Any(i => i.Change is not null) &&
            taken.Select(i => i.Checkpoint).OfType<KafkaCheckpoint>().Any(c => c.Topic == heartbeat && c.Offset == 49));

        var heartbeatCheckpoints = items.Select(i => i.Checkpoint).OfType<KafkaCheckpoint>().Where(c => c.Topic == heartbeat).ToList();
        Assert.InRange(heartbeatCheckpoints.Count, 1, 10); // one per fetch or 100 ms, never one per message
        Assert.Equal(heartbeatCheckpoints.Select(c => c.Offset).Order(), heartbeatCheckpoints.Select(c => c.Offset));
        Assert.Single(items, i => i.Change is not null);
    }
}
