using System.Text.Json;
using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Kafka.Debezium;

internal sealed partial class DebeziumDecoder
{
    private const string MetadataPrefix = "__";

    /// <summary>
    /// <c>ExtractNewRecordState</c>'s flattened row: columns plus the <c>add.fields</c> metadata (<c>__op</c>,
    /// <c>__source_ts_ms</c>, <c>__source_sequence</c>, ...) and, with <c>delete.tombstone.handling.mode=rewrite</c>
    /// (or the removed <c>delete.handling.mode=rewrite</c>), deletes as the old key columns with <c>__deleted=true</c>.
    /// Ordering needs <c>source.sequence</c> in add.fields; without it <see cref="FlattenedOrdering"/> decides.
    /// </summary>
    private ChangeEvent DecodeFlattened(string topic, JsonDocument? keyDocument, JsonElement payload, ConnectSchema? valueSchema, out string? tableName)
    {
        tableName = null;
        var op = EventMetadata.ReadString(payload, "__op");
        var deleted = payload.TryGetProperty("__deleted", out var flag) &&
                      (flag.ValueKind == JsonValueKind.True || (flag.ValueKind == JsonValueKind.String && flag.ValueEquals("true")));
        var snapshotMarker = EventMetadata.IsSnapshotMarker(payload, "__source_snapshot") || EventMetadata.IsSnapshotMarker(payload, "__snapshot");
        var kind = deleted ? ChangeKind.Delete : op switch
        {
            "c" => ChangeKind.Insert,
            "u" => ChangeKind.Update,
            "d" => ChangeKind.Delete,
            "r" => ChangeKind.Snapshot,
            "t" => ChangeKind.Truncate,
            null => snapshotMarker ? ChangeKind.Snapshot : ChangeKind.Update,
            _ => throw new DecodeException("unknown_operation", $"Unknown Debezium operation '{op}' in __op."),
        };

        var table = TableOf(
            EventMetadata.ReadString(payload, "__source_schema") ?? EventMetadata.ReadString(payload, "__schema"),
            EventMetadata.ReadString(payload, "__source_table") ?? EventMetadata.ReadString(payload, "__table"),
            topic,
            out tableName);

        var position = FlattenedPosition(payload, kind);
        var key = DecodeKey(keyDocument, kind);
        var row = kind is ChangeKind.Delete or ChangeKind.Truncate
            ? null
            : DecodeRow(payload, valueSchema, static name => !name.StartsWith(MetadataPrefix, StringComparison.Ordinal));
        return new ChangeEvent(table, kind, position, key, row, CommitTime: CommitTime(EventMetadata.ReadInt64(payload, "__source_ts_ms")));
    }

    private Position FlattenedPosition(JsonElement payload, ChangeKind kind)
    {
        var sequence = payload.TryGetProperty("__source_sequence", out var s) ? s
            : payload.TryGetProperty("__sequence", out var t) ? t
            : default;
        if (EventMetadata.TryReadSequence(sequence, out var lastCommitLsn, out var lsn))
        {
            return kind == ChangeKind.Snapshot
                ? CommitOrder.ForSnapshot(lastCommitLsn)
                : CommitOrder.ForStreamed(lastCommitLsn, lsn ?? (ulong?)EventMetadata.ReadInt64(payload, "__source_lsn") ?? (ulong?)EventMetadata.ReadInt64(payload, "__lsn"), EventMetadata.ReadInt64(payload, "__transaction_total_order"));
        }

        if (settings.FlattenedOrdering == FlattenedOrdering.CommitTime &&
            EventMetadata.ReadInt64(payload, "__source_ts_ms") is { } tsMs)
        {
            return CommitOrder.ForCommitTime(tsMs, kind == ChangeKind.Snapshot);
        }

        throw new DecodeException(
            "unordered_event",
            "Flattened event carries no commit-order position: add 'source.sequence' to transforms.unwrap.add.fields " +
            "(or set Cdc:Kafka:FlattenedOrdering=CommitTime to accept ordering by __source_ts_ms, which can apply two " +
            "commits of the same millisecond out of order). See services/CdcAspire.Pipeline.Kafka/README.md.");
    }
}
