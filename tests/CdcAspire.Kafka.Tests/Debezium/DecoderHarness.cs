using System.Text;
using CdcAspire.Kafka.Tests.Infrastructure;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Kafka;
using CdcAspire.Pipeline.Kafka.Debezium;

namespace CdcAspire.Kafka.Tests.Debezium;

internal static class DecoderHarness
{
    public static readonly string[] SeedTables = ["public.users", "public.products", "public.orders", "public.types"];

    public static DecodeResult Decode(string? key, string? value, string topic = "cdc.public.users", FlattenedOrdering ordering = FlattenedOrdering.Reject, EventForm form = EventForm.Envelope, long? timestampMs = null)
    {
        var options = new KafkaSourceOptions { FlattenedOrdering = ordering, Form = form, TopicPrefix = DebeziumEvents.Prefix };
        foreach (var table in SeedTables)
        {
            options.Tables.Add(table);
        }

        var decoder = new DebeziumDecoder(DebeziumDecoderSettings.From(options));
        return decoder.Decode(
            topic,
            key is null ? null : Encoding.UTF8.GetBytes(key),
            value is null ? null : Encoding.UTF8.GetBytes(value),
            timestampMs);
    }

    public static ChangeEvent Change(string? key, string? value, string topic = "cdc.public.users", FlattenedOrdering ordering = FlattenedOrdering.Reject, EventForm form = EventForm.Envelope, long? timestampMs = null)
    {
        var result = Decode(key, value, topic, ordering, form, timestampMs);
        Assert.Null(result.Error);
        return Assert.IsType<ChangeEvent>(result.Change);
    }

    public static string Json(this ChangeEvent change, string column)
    {
        var value = Assert.Single(change.Row!, c => c.Name == column);
        Assert.False(value.Unchanged);
        return Encoding.UTF8.GetString(value.Json.Span);
    }
}
