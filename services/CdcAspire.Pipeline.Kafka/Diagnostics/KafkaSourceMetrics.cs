using System.Diagnostics.Metrics;

namespace CdcAspire.Pipeline.Kafka.Diagnostics;

/// <summary>Instruments of the Kafka source, on meter <see cref="MeterName"/> created through <see cref="IMeterFactory"/>.</summary>
internal sealed class KafkaSourceMetrics
{
    public const string MeterName = "CdcAspire.Pipeline.Kafka";

    private readonly Counter<long> messages;
    private readonly Counter<long> rebalances;
    private readonly Counter<long> revocationTimeouts;

    public KafkaSourceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        messages = meter.CreateCounter<long>("cdc.kafka.messages", "{message}", "Kafka messages consumed, by outcome (change, skipped, dead_letter).");
        rebalances = meter.CreateCounter<long>("cdc.kafka.rebalances", "{event}", "Partition assignment events (assigned, revoked, lost).");
        revocationTimeouts = meter.CreateCounter<long>("cdc.kafka.revocation_timeouts", "{event}", "Revocations that handed over partitions before everything read from them was acknowledged.");
    }

    public void Message(string outcome, string detail) =>
        messages.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("detail", detail));

    public void Rebalance(string kind) => rebalances.Add(1, new KeyValuePair<string, object?>("event", kind));

    public void RevocationTimeout() => revocationTimeouts.Add(1);
}
