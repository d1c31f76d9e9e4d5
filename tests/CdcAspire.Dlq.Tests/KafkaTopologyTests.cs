using CdcAspire.Dlq.Tests.Infrastructure;
using CdcAspire.Dlq.V1;
using CdcAspire.Kafka.Tests.Infrastructure;

namespace CdcAspire.Dlq.Tests;

/// <summary>
/// The Kafka topology end to end: Debezium-format events on librdkafka's mock cluster, the sink with
/// <c>Cdc:Source=kafka</c>, the DLQ service beside it. An update whose unchanged TOAST value Debezium withheld
/// becomes an <c>unchanged_toast_unresolved</c> dead letter; the DLQ heals it from the row with nobody running a command.
/// </summary>
public sealed class KafkaTopologyTests(PostgresFixture postgres)
{
    private const string Placeholder = "__debezium_unavailable_value";
    private const string Topic = "cdc.public.profiles";

    [Fact]
    public async Task AStrictMappingRejectsThenTheFixedMappingTakesTheReplayAndEveryDocumentEqualsItsRow()
    {
        using var kafka = new MockKafkaCluster();
        await using var s = await KafkaScenarioAsync(kafka, "kafkastrict");
        using (var http = new HttpClient())
        {
            // The index knows id and name only, and rejects anything else.
            using var create = await http.PutAsync(new Uri(s.Elasticsearch.Uri, "profiles"), new StringContent(
                """{"mappings":{"dynamic":"strict","properties":{"id":{"type":"integer"},"name":{"type":"keyword"}}}}""",
                System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            create.EnsureSuccessStatusCode();
        }

        for (var id = 1; id <= 3; id++)
        {
            await ProduceAsync(kafka, Topic, id, "r", Profile(id, new[] { "ann", "bob", "cid" }[id - 1], $"long bio {id}"), lastCommit: 1000, lsn: 1000);
        }

        s.StartSink();
        await s.StartDlqAsync();
        var rejected = new Filter { Table = "public.profiles", ErrorType = "strict_dynamic_mapping_exception" };
        await s.EventuallyAsync(async () => (await s.ListAsync(rejected)).Total, n => n == 3, DlqScenario.Wait, "three rejected snapshot rows");
        Assert.Empty(s.Elasticsearch.GetDocuments("profiles"));

        await Mappings.AddKeywordFieldAsync(s.Elasticsearch.Uri, "profiles", "bio");
        var (results, summary) = await s.ReplayAsync(rejected);

        Assert.Equal(3, results.Count);
        Assert.Equal(3, summary.Indexed);
        Assert.Empty(await s.DifferencesAsync("profiles"));
        Assert.All((await s.ListAsync(rejected)).DeadLetters, l => Assert.Equal(State.Resolved, l.State));
    }

    [Fact]
    public async Task WithheldToastValuesAreHealedFromTheRowWithoutACommand()
    {
        using var kafka = new MockKafkaCluster();
        await using var s = await KafkaScenarioAsync(kafka, "kafka");
        for (var id = 1; id <= 3; id++)
        {
            await ProduceAsync(kafka, Topic, id, "r", Profile(id, new[] { "ann", "bob", "cid" }[id - 1], $"long bio {id}"), lastCommit: 1000, lsn: 1000);
        }

        s.StartSink();
        await s.AssertConvergesAsync("profiles");
        await s.StartDlqAsync();

        // Two updates that did not touch bio: Debezium sends the placeholder instead of the TOASTed value.
        await s.ExecuteAsync("UPDATE profiles SET name = 'bobby' WHERE id = 2; UPDATE profiles SET name = 'cyd' WHERE id = 3");
        await ProduceAsync(kafka, Topic, 2, "u", Profile(2, "bobby", Placeholder), lastCommit: 2000, lsn: 2100, order: 1);
        await ProduceAsync(kafka, Topic, 3, "u", Profile(3, "cyd", Placeholder), lastCommit: 2000, lsn: 2200, order: 2);

        await s.EventuallyAsync(
            () => s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE error_type = 'unchanged_toast_unresolved' AND status = 'resolved'"),
            n => n == 2, DlqScenario.Wait, "both withheld updates to be healed");
        Assert.Empty(await s.DifferencesAsync("profiles"));
        var healed = (await s.ListAsync(new Filter { ErrorType = "unchanged_toast_unresolved" })).DeadLetters;
        Assert.All(healed, l => Assert.Equal("kafka", l.Source));
        Assert.All(healed, l => Assert.Equal(State.Resolved, l.State));
    }

    /// <summary>A <c>profiles</c> table in PostgreSQL, Debezium's slot (the fence), the sink wired for the Kafka topology.</summary>
    private async Task<DlqScenario> KafkaScenarioAsync(MockKafkaCluster kafka, string prefix)
    {
        var s = await DlqScenario.CreateAsync(postgres, prefix);
        await s.ExecuteAsync("CREATE TABLE profiles (id int PRIMARY KEY, name text NOT NULL, bio text)");
        await s.ExecuteAsync("INSERT INTO profiles VALUES (1, 'ann', 'long bio 1'), (2, 'bob', 'long bio 2'), (3, 'cid', 'long bio 3')");
        var slot = s.Name + "_dbz";
        await s.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{slot}', 'pgoutput')");
        s.UseKafkaTopology("profiles", slot, kafka.BootstrapServers);
        return s;
    }

    private static IReadOnlyList<Col> Profile(int id, string name, string bio) =>
        [Col.Number("id", id), Col.Text("name", name), Col.Text("bio", bio)];

    private static Task<Confluent.Kafka.TopicPartitionOffset> ProduceAsync(
        MockKafkaCluster kafka, string topic, int id, string op, IReadOnlyList<Col> after, ulong lastCommit, ulong lsn, long? order = null) =>
        kafka.ProduceAsync(topic, DebeziumEvents.Key(id, table: "profiles"), DebeziumEvents.Change("profiles", op, after, lastCommit, lsn, totalOrder: order));
}
