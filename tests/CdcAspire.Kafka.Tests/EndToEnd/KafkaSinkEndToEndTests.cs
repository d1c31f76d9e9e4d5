using System.Text.Json;
using CdcAspire.Kafka.Tests.Infrastructure;
using CdcAspire.Testing.Elasticsearch;
using CdcAspire.Testing.Postgres;
using CdcAspire.Testing.Processes;

namespace CdcAspire.Kafka.Tests.EndToEnd;

/// <summary>
/// The seed's topology end to end: Debezium-format events on a real Kafka-protocol peer (librdkafka's mock
/// cluster), the sink as a process with <c>Cdc:Source=kafka</c>, the Elasticsearch test server. Redelivered and
/// out-of-date events, a restart mid-stream and malformed messages must leave exactly the rows the events describe.
/// </summary>
public sealed class KafkaSinkEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private PostgresCluster _postgres = null!;

    public async ValueTask InitializeAsync() => _postgres = await PostgresCluster.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _postgres.DisposeAsync();

    [Fact]
    public async Task EventsRedeliveredOutOfDateAndAcrossARestartLeaveExactlyTheRowsTheyDescribe()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kafka = new MockKafkaCluster();
        await using var es = await ElasticsearchTestServer.StartAsync(ct: ct);
        var appdb = await _postgres.CreateDatabaseAsync("kafka_e2e", ct);
        var env = SinkEnvironment(kafka, appdb, es);
        const string topic = "cdc.public.users";

        // Snapshot of three rows, then streamed transactions in commit order.
        for (var id = 1; id <= 3; id++)
        {
            await ProduceAsync(kafka, topic, id, "r", User(id, $"user{id}"), lastCommit: 1000, lsn: 1000);
        }

        await ProduceAsync(kafka, topic, 4, "c", User(4, "user4"), lastCommit: 2000, lsn: 2100, order: 1);
        await ProduceAsync(kafka, topic, 1, "u", User(1, "john2"), lastCommit: 2000, lsn: 2200, order: 2);

        var sink = SinkProcess.Start(env);
        try
        {
            await EventuallyAsync(() => Username(es, "1") == "john2", sink, "the first events");
            sink.Kill(); // mid-stream: what was not committed is redelivered

            var produced = new List<Confluent.Kafka.TopicPartitionOffset>
            {
                await ProduceAsync(kafka, topic, 2, "d", null, lastCommit: 3000, lsn: 3100, order: 1, before: User(2, "user2")),
                await kafka.ProduceAsync(topic, DebeziumEvents.Key(2), null), // tombstone
                await ProduceAsync(kafka, topic, 1, "u", User(1, "john5"), lastCommit: 5000, lsn: 5100, order: 1),

                // Out of date: an old update of 1 and the snapshot row of deleted 2 arrive again, after newer changes.
                await ProduceAsync(kafka, topic, 1, "u", User(1, "john2"), lastCommit: 2000, lsn: 2200, order: 2),
                await ProduceAsync(kafka, topic, 2, "r", User(2, "user2"), lastCommit: 1000, lsn: 1000),
                await kafka.ProduceAsync(topic, DebeziumEvents.Key(3), "{not json"),
                await ProduceAsync(kafka, topic, 3, "u", User(3, "user3b"), lastCommit: 6000, lsn: 6100, order: 1),
            };

            sink = SinkProcess.Start(env);

            // Keys live in different partitions, consumed independently: wait for the final state of every one of them
            // (and fail with the sink's log if it never comes), then check it did not change its mind.
            await EventuallyAsync(
                () => Username(es, "3") == "user3b" && Username(es, "1") == "john5" && es.GetDocument("users", "2") is null,
                sink, "the events after the restart");

            // Every message, the out-of-date ones included, has been consumed and settled (its offset committed),
            // so the state checked below is final, not a moment before a stale write lands.
            var ends = produced.GroupBy(p => p.TopicPartition).ToDictionary(g => g.Key, g => g.Max(p => p.Offset.Value) + 1);
            await EventuallyAsync(
                () => kafka.Committed(env["Cdc__Kafka__GroupId"]!, ends.Keys).All(c => c.Offset.Value >= ends[c.TopicPartition]),
                sink, "the offsets of every message to be committed");
            await EventuallyAsync(
                async () => await _postgres.ScalarAsync<long>("kafka_e2e", "SELECT count(*) FROM cdc.dead_letters WHERE operation = 'decode'", ct) >= 1,
                sink, "the malformed message's dead letter");

            Assert.Equal("john5", Username(es, "1"));
            Assert.Null(es.GetDocument("users", "2"));
            Assert.Equal("user4", Username(es, "4"));
            Assert.Equal(["1", "3", "4"], es.GetDocuments("users").Select(d => d.Id).Order().ToArray());
        }
        finally
        {
            await sink.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoSinksInOneGroupShareTheWorkAndTheSurvivorFinishesWhenOneIsKilled()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kafka = new MockKafkaCluster();
        await using var es = await ElasticsearchTestServer.StartAsync(ct: ct);
        var appdb = await _postgres.CreateDatabaseAsync("kafka_group", ct);
        var env = SinkEnvironment(kafka, appdb, es);
        const string topic = "cdc.public.users";
        const int users = 40;
        ulong commit = 10_000;
        for (var id = 1; id <= users; id++)
        {
            await ProduceAsync(kafka, topic, id, "c", User(id, $"v1-{id}"), lastCommit: commit += 100, lsn: commit + 1, order: 1);
        }

        Assert.True(kafka.PartitionCount(topic) > 1, "the topic needs several partitions for the group to split them");
        var first = SinkProcess.Start(env);
        var second = SinkProcess.Start(env);
        try
        {
            await EventuallyAsync(() => es.IndexNames.Contains("users") && es.GetDocuments("users").Count == users, second, "both sinks to index the first round");
            first.Kill(); // the group rebalances: its partitions move to the survivor
            for (var id = 1; id <= users; id++)
            {
                await ProduceAsync(kafka, topic, id, "u", User(id, $"v2-{id}"), lastCommit: commit += 100, lsn: commit + 1, order: 1);
            }

            await ProduceAsync(kafka, topic, 7, "d", null, lastCommit: commit += 100, lsn: commit + 1, order: 1, before: User(7, "v2-7"));
            await EventuallyAsync(
                () => es.GetDocuments("users").Count == users - 1 && Enumerable.Range(1, users).Where(i => i != 7).All(i => Username(es, $"{i}") == $"v2-{i}"),
                second, "the survivor to apply the second round");
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    /// <summary>The sink wired for the Kafka topology exactly as the AppHost would, with a fresh consumer group.</summary>
    private static Dictionary<string, string?> SinkEnvironment(MockKafkaCluster kafka, string appdb, ElasticsearchTestServer es) => new()
    {
        ["Cdc__Source"] = "kafka",
        ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
        ["ConnectionStrings__appdb"] = appdb,
        ["ConnectionStrings__elasticsearch"] = es.Uri.ToString(),
        ["Cdc__Kafka__TopicPrefix"] = DebeziumEvents.Prefix,
        ["Cdc__Kafka__GroupId"] = "e2e-" + Guid.NewGuid().ToString("N"),
        ["Cdc__Kafka__CommitInterval"] = "00:00:00.500",
        ["Cdc__Tables__public.users__Index"] = "users",
        ["Cdc__IndexTemplatesPath"] = string.Empty,

        // A killed member holds its partitions until its session times out; keep that short in a test.
        ["Cdc__Kafka__Consumer__session.timeout.ms"] = "6000",
        ["Cdc__Kafka__Consumer__heartbeat.interval.ms"] = "500",
    };

    private static IReadOnlyList<Col> User(int id, string name) =>
        [Col.Number("id", id), Col.Text("username", name), Col.Text("email", $"{name}@example.com")];

    private static Task<Confluent.Kafka.TopicPartitionOffset> ProduceAsync(
        MockKafkaCluster kafka, string topic, int id, string op, IReadOnlyList<Col>? after, ulong lastCommit, ulong lsn, long? order = null, IReadOnlyList<Col>? before = null) =>
        kafka.ProduceAsync(topic, DebeziumEvents.Key(id), DebeziumEvents.Change("users", op, after, lastCommit, lsn, totalOrder: order, before: before));

    private static string? Username(ElasticsearchTestServer es, string id) =>
        es.GetDocument("users", id) is { } doc ? JsonDocument.Parse(doc.Source).RootElement.GetProperty("username").GetString() : null;

    private static Task EventuallyAsync(Func<bool> condition, SinkProcess sink, string what) =>
        EventuallyAsync(() => Task.FromResult(condition()), sink, what);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, SinkProcess sink, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting for {what}.\n--- sink output ---\n{string.Join('\n', sink.Output.Split('\n').TakeLast(40))}");
    }
}
