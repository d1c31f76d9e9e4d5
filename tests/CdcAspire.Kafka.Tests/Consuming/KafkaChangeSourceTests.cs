using System.Text;
using CdcAspire.Kafka.Tests.Debezium;
using CdcAspire.Kafka.Tests.Infrastructure;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Kafka;
using Confluent.Kafka;

namespace CdcAspire.Kafka.Tests.Consuming;

/// <summary>The source against librdkafka's mock cluster: real Kafka protocol, consumer groups, offsets.</summary>
public sealed class KafkaChangeSourceTests(MockKafkaCluster kafka)
{
    private static readonly Col[] John = [Col.Number("id", 1), Col.Text("username", "john_doe"), Col.Text("email", "john@example.com"), Col.Zoned("created_at", "2024-01-01T10:00:00Z")];
    private static readonly Col[] Jane = [Col.Number("id", 2), Col.Text("username", "jane_smith"), Col.Text("email", "jane@example.com"), Col.Zoned("created_at", "2024-01-02T10:00:00+01:00")];

    private static readonly Col[] Headphones =
    [
        Col.Number("id", 1), Col.Text("name", "Wireless Headphones"), Col.Text("description", "__debezium_unavailable_value"),
        Col.Precise("price", "Th8=", 2, 10), Col.TextArray("tags", "audio", "wireless", "bluetooth"), Col.Bool("is_active", true),
        Col.Json("metadata", "{\"color\":\"black\"}"),
    ];

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task EventsForTheSeedTablesBecomeTheChangesTheyDescribeAndBadMessagesBecomeDeadLetters()
    {
        var prefix = Unique("seed");
        var users = $"{prefix}.public.users";
        var products = $"{prefix}.public.products";
        var heartbeat = $"__debezium-heartbeat.{prefix}";
        await kafka.ProduceAsync(users, DebeziumEvents.Key(1), DebeziumEvents.Change("users", "r", John, null, 900), 0);
        await kafka.ProduceAsync(users, DebeziumEvents.Key(2), DebeziumEvents.Change("users", "c", Jane, null, 950, totalOrder: 1), 0);
        await kafka.ProduceAsync(users, DebeziumEvents.Key(2), DebeziumEvents.Change("users", "d", null, 1000, 1010, totalOrder: 1, before: [Col.Number("id", 2)]), 0);
        await kafka.ProduceAsync(users, DebeziumEvents.Key(2), null, 0); // tombstone
        await kafka.ProduceAsync(users, DebeziumEvents.Key(3), "{this is not json", 0);
        await kafka.ProduceAsync(users, DebeziumEvents.Key(4, table: "audit"), DebeziumEvents.Change("audit", "c", [Col.Number("id", 4)], 1000, 1020), 0);
        await kafka.ProduceAsync(products, DebeziumEvents.Key(1, table: "products"), DebeziumEvents.Change("products", "u", Headphones, 1100, 1105, totalOrder: 2), 0);
        await kafka.ProduceAsync(heartbeat, "{\"serverName\":\"" + prefix + "\"}", "{\"ts_ms\":1700000000000}", 0);
        // Explicit topics name no prefix: the schema-change record is recognised by its Connect schema name.
        await kafka.ProduceAsync(prefix, "{\"databaseName\":\"app\"}", "{\"schema\":{\"type\":\"struct\",\"name\":\"io.debezium.connector.postgresql.SchemaChangeValue\"},\"payload\":{\"source\":{},\"databaseName\":\"app\",\"ddl\":\"ALTER TABLE users ADD x int\",\"tableChanges\":[]}}", 0);

        await using var runner = await SourceRunner.StartAsync(kafka.BootstrapServers, o =>
        {
            o.GroupId = Unique("g");
            foreach (var topic in new[] { users, products, heartbeat, prefix })
            {
                o.Topics.Add(topic);
            }

            foreach (var table in new[] { "public.users", "public.products", "public.orders" })
            {
                o.Tables.Add(table);
            }
        });

        // Skipped messages' checkpoints are merged, so count until every message is covered.
        var last = new Dictionary<string, long> { [users] = 5, [products] = 0, [heartbeat] = 0, [prefix] = 0 };
        var items = await runner.TakeUntilAsync(taken => last.All(l => taken.Select(i => i.Checkpoint).OfType<KafkaCheckpoint>().Any(c => c.Topic == l.Key && c.Offset == l.Value)));
        var changes = items.Select(i => i.Change).OfType<ChangeEvent>().ToList();

        var userChanges = changes.Where(c => c.Table.Name == "users").ToList();
        Assert.Equal([ChangeKind.Snapshot, ChangeKind.Insert, ChangeKind.Delete], userChanges.Select(c => c.Kind));
        Assert.Equal(["1"], userChanges[0].Key);
        Assert.Equal("\"2024-01-02T09:00:00Z\"", userChanges[1].Json("created_at"));
        Assert.True(userChanges[0].Position < userChanges[1].Position, "the snapshot orders before the stream");
        Assert.True(userChanges[1].Position < userChanges[2].Position, "commit order");

        var product = Assert.Single(changes, c => c.Table.Name == "products");
        Assert.Equal("199.99", product.Json("price"));
        Assert.Equal("[\"audio\",\"wireless\",\"bluetooth\"]", product.Json("tags"));
        Assert.Equal("{\"color\":\"black\"}", product.Json("metadata"));
        Assert.True(Assert.Single(product.Row!, c => c.Name == "description").Unchanged);

        Assert.Equal(4, changes.Count);
        var letters = runner.DeadLetters.Letters;
        Assert.Equal(["malformed_json", "unknown_table"], letters.Select(l => l.ErrorType).Order());
        var malformed = Assert.Single(letters, l => l.ErrorType == "malformed_json");
        Assert.Equal($"{users}/0/4", malformed.Position);
        Assert.Equal("{this is not json", Encoding.UTF8.GetString(malformed.Raw!));
        Assert.Equal("kafka", malformed.Source.ToStored());
        Assert.Equal("public.audit", Assert.Single(letters, l => l.ErrorType == "unknown_table").Table);
    }

    [Fact]
    public async Task EachCheckpointFollowsTheChangeItCoversAndDeadLettersAreWrittenBeforeIt()
    {
        var topic = $"{Unique("order")}.public.users";
        await kafka.ProduceAsync(topic, DebeziumEvents.Key(1), DebeziumEvents.Change("users", "c", John, 10, 11), 0);
        await kafka.ProduceAsync(topic, DebeziumEvents.Key(2), "garbage", 0);
        await using var runner = await SourceRunner.StartAsync(kafka.BootstrapServers, o => { o.GroupId = Unique("g"); o.Topics.Add(topic); });

        var items = await runner.TakeAsync(checkpoints: 2);

        Assert.NotNull(items[0].Change);
        var first = Assert.IsType<KafkaCheckpoint>(items[1].Checkpoint);
        Assert.Equal((topic, 0, 0L), (first.Topic, first.Partition, first.Offset));
        Assert.Equal(items[0].Change!.CommitTime, first.CommitTime);
        Assert.Equal(3, items.Count);
        Assert.Equal(1, ((KafkaCheckpoint)items[2].Checkpoint!).Offset);
        Assert.Single(runner.DeadLetters.Letters);
    }

    [Fact]
    public async Task AcknowledgedOffsetsAreCommittedAndARestartRedeliversOnlyWhatWasNotAcknowledged()
    {
        var topic = $"{Unique("ack")}.public.users";
        var group = Unique("g");
        for (var id = 1; id <= 6; id++)
        {
            await kafka.ProduceAsync(topic, DebeziumEvents.Key(id), DebeziumEvents.Change("users", "c", [Col.Number("id", id)], (ulong)(100 * id), (ulong)(100 * id) + 1), 0);
        }

        await using (var first = await SourceRunner.StartAsync(kafka.BootstrapServers, o => { o.GroupId = group; o.Topics.Add(topic); }))
        {
            var items = await first.TakeAsync(checkpoints: 6);
            await first.AcknowledgeAsync(items.Take(6)); // ids 1..3: change + checkpoint each

            await Eventually(() => kafka.Committed(group, [new TopicPartition(topic, 0)]).Single().Offset.Value == 3);
        }

        // The "crashed" consumer never acknowledged ids 4..6: a new member of the group gets exactly those again.
        await using var second = await SourceRunner.StartAsync(kafka.BootstrapServers, o => { o.GroupId = group; o.Topics.Add(topic); });
        var redelivered = await second.TakeAsync(checkpoints: 3);
        Assert.Equal(["4", "5", "6"], redelivered.Select(i => i.Change).OfType<ChangeEvent>().Select(c => c.Key[0]));
        Assert.Empty(await second.DrainAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task TwoInstancesInOneGroupShareThePartitionsWithoutLosingOrRereadingAcknowledgedMessages()
    {
        var topic = $"{Unique("rebal")}.public.users";
        var group = Unique("g");
        await kafka.ProduceAsync(topic, DebeziumEvents.Key(0), DebeziumEvents.Change("users", "c", [Col.Number("id", 0)], 1, 2), 0);
        var partitionCount = kafka.PartitionCount(topic);
        Assert.True(partitionCount >= 2, $"the mock cluster auto-creates {partitionCount} partitions");
        var all = Enumerable.Range(0, partitionCount).Select(p => new TopicPartition(topic, p)).ToList();

        var firstBatch = new List<int> { 0 };
        for (var id = 1; id <= 4 * partitionCount; id++)
        {
            await kafka.ProduceAsync(topic, DebeziumEvents.Key(id), DebeziumEvents.Change("users", "c", [Col.Number("id", id)], (ulong)(10 * id), (ulong)(10 * id) + 1), id % partitionCount);
            firstBatch.Add(id);
        }

        // A's pipeline acknowledges with a lag; what it acknowledged is committed periodically.
        await using var a = await SourceRunner.StartAsync(kafka.BootstrapServers, o => { o.GroupId = group; o.Topics.Add(topic); }, autoAcknowledgeAfter: TimeSpan.FromMilliseconds(300));
        Assert.Equal(firstBatch, Ids(await a.TakeAsync(checkpoints: firstBatch.Count)).Order());
        await Eventually(() => kafka.Committed(group, all).Sum(o => o.Offset.Value) == firstBatch.Count);

        await using var b = await SourceRunner.StartAsync(kafka.BootstrapServers, o => { o.GroupId = group; o.Topics.Add(topic); }, autoAcknowledgeAfter: TimeSpan.Zero);
        var secondBatch = new List<int>();
        for (var id = 1000; id < 1000 + (4 * partitionCount); id++)
        {
            await kafka.ProduceAsync(topic, DebeziumEvents.Key(id), DebeziumEvents.Change("users", "c", [Col.Number("id", id)], (ulong)(10 * id), (ulong)(10 * id) + 1), id % partitionCount);
            secondBatch.Add(id);
        }

        var laterA = new List<int>();
        var laterB = new List<int>();
        await Eventually(async () =>
        {
            laterA.AddRange(Ids(await a.DrainAsync(TimeSpan.FromMilliseconds(200))));
            laterB.AddRange(Ids(await b.DrainAsync(TimeSpan.FromMilliseconds(200))));
            return laterB.Count > 0 && secondBatch.All(id => laterA.Contains(id) || laterB.Contains(id));
        });

        Assert.DoesNotContain(laterB, id => id < 1000); // B starts from A's committed offsets
        Assert.DoesNotContain(laterA, id => id < 1000); // A yields nothing twice
    }

    private static List<int> Ids(IEnumerable<SourceItem> items) =>
        [.. items.Select(i => i.Change).OfType<ChangeEvent>().Select(c => int.Parse(c.Key[0], System.Globalization.CultureInfo.InvariantCulture))];

    private static Task Eventually(Func<bool> condition) => Eventually(() => Task.FromResult(condition()));

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 45 s");
            await Task.Delay(100);
        }
    }
}
