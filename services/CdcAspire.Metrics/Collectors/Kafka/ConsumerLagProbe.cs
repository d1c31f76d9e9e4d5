using CdcAspire.Metrics.Diagnostics;
using CdcAspire.Metrics.Health;
using CdcAspire.Metrics.V1;
using CdcAspire.Pipeline.Kafka.Consuming;
using Confluent.Kafka;

namespace CdcAspire.Metrics.Collectors.Kafka;

/// <summary>
/// Kafka topology: consumer-group lag per partition (high watermark minus the group's committed offset), read with
/// the admin API and a metadata-only consumer. Without <c>ConnectionStrings:kafka</c> it is not configured.
/// </summary>
internal sealed class ConsumerLagProbe(
    string? bootstrapServers,
    IReadOnlyList<string> groups,
    TimeSpan timeout,
    ILogger<ConsumerLagProbe> logger) : IChainProbe
{
    public const string ComponentName = "kafka";

    public string Name => ComponentName;

    public async Task<HealthReport> ProbeAsync(CancellationToken cancellationToken)
    {
        var report = new HealthReport { Metrics = new ChainMetrics() };
        if (string.IsNullOrWhiteSpace(bootstrapServers))
        {
            report.Components.Add(Components.NotConfigured(ComponentName, "Kafka topology only: set ConnectionStrings:kafka to the bootstrap servers."));
            return report;
        }

        try
        {
            KafkaNativeLibrary.EnsureLoaded();
            // Every partition of every non-internal topic; a group's lag counts the partitions it has committed on.
            // (Committed offsets are fetched per partition: listing a group's offsets without partitions is not
            // answered by every broker, librdkafka's mock cluster among them.)
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
            var metadata = await Task.Run(() => admin.GetMetadata(timeout), cancellationToken);
            var partitions = metadata.Topics
                .Where(t => !t.Topic.StartsWith("__", StringComparison.Ordinal) && t.Error.Code == ErrorCode.NoError)
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, new Partition(p.PartitionId))))
                .ToList();
            foreach (var group in groups)
            {
                // Committed() reads the group's offsets without joining the group.
                using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
                {
                    BootstrapServers = bootstrapServers,
                    GroupId = group,
                    EnableAutoCommit = false,
                }).Build();
                var committed = partitions.Count == 0 ? [] : await Task.Run(() => consumer.Committed(partitions, timeout), cancellationToken);
                foreach (var c in committed.Where(c => c.Offset.Value >= 0))
                {
                    var watermarks = await Task.Run(() => consumer.QueryWatermarkOffsets(c.TopicPartition, timeout), cancellationToken);
                    report.Metrics.ConsumerLag.Add(new ConsumerLag
                    {
                        Group = group,
                        Topic = c.Topic,
                        Partition = c.Partition.Value,
                        Lag = Math.Max(0, watermarks.High.Value - c.Offset.Value),
                    });
                }
            }
        }
        catch (KafkaException ex)
        {
            Log.ProbeFailed(logger, ComponentName, ex.Message);
            report.Components.Add(Components.Down(ComponentName, "Kafka does not answer: " + ex.Error.Reason,
                "Check the brokers and ConnectionStrings:kafka."));
            return report;
        }

        report.Components.Add(Components.Ok(ComponentName));
        return report;
    }
}
