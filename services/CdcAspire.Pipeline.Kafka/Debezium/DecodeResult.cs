using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>What one Kafka message turned into: a change, a skip, or a reason to dead-letter it.</summary>
internal readonly record struct DecodeResult(ChangeEvent? Change, SkipReason Skip, DecodeException? Error, string? Table)
{
    public static DecodeResult Of(ChangeEvent change) => new(change, SkipReason.None, null, change.Table.ToString());

    public static DecodeResult Skipped(SkipReason reason) => new(null, reason, null, null);

    public static DecodeResult Failed(DecodeException error, string? table) => new(null, SkipReason.None, error, table);
}
