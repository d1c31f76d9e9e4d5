using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Refresh;

namespace CdcAspire.Pipeline.Options;

/// <summary>
/// What every service needs to know about the topology <c>Cdc:Source</c> selects, decided in one place: registered
/// keyed by the source's name (<see cref="SourceNames"/>) and resolved once for the configured one, so no service
/// compares <c>Cdc:Source</c> itself.
/// </summary>
/// <param name="Source">The source's one name (<c>postgres</c> or <c>kafka</c>).</param>
/// <param name="DeadLetters">What its dead letters are stamped with.</param>
/// <param name="Fence">How replay and repair take the version of a re-read row (<see cref="VersionFence"/>).</param>
/// <param name="SlotName">
/// The replication slot whose <c>confirmed_flush_lsn</c> says how far the pipeline has come: the sink's own
/// (<c>Cdc:SlotName</c>) or Debezium's (<c>Cdc:DebeziumSlotName</c>).
/// </param>
public sealed record CdcTopology(string Source, DeadLetterSource DeadLetters, VersionFenceMode Fence, string SlotName)
{
    /// <summary>The direct topology: the sink reads its own slot; versions from commit LSNs, fenced at the WAL insert position.</summary>
    public static CdcTopology Postgres(CdcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(SourceNames.Postgres, DeadLetterSource.Postgres, VersionFenceMode.WalInsertPosition, options.SlotName);
    }

    /// <summary>The Kafka topology: Debezium reads its slot; re-reads are fenced at what Debezium has confirmed.</summary>
    public static CdcTopology Kafka(CdcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(SourceNames.Kafka, DeadLetterSource.Kafka, VersionFenceMode.DebeziumSlot, options.DebeziumSlotName);
    }
}
