using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>The decoder's view of <see cref="KafkaSourceOptions"/>.</summary>
internal sealed record DebeziumDecoderSettings(
    IReadOnlySet<TableId> Tables,
    IReadOnlySet<TableId> IgnoredTables,
    string HeartbeatTopicPrefix,
    string UnavailableValuePlaceholder,
    FlattenedOrdering FlattenedOrdering,
    EventForm Form = EventForm.Envelope,
    string? TopicPrefix = null)
{
    public static DebeziumDecoderSettings From(KafkaSourceOptions options) => new(
        options.Tables.Select(TableId.Parse).ToHashSet(),
        options.IgnoredTables.Select(TableId.Parse).ToHashSet(),
        options.HeartbeatTopicPrefix,
        options.UnavailableValuePlaceholder,
        options.FlattenedOrdering,
        options.Form,
        options.TopicPrefix);
}
