using System.Text.Json;
using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Kafka.Debezium;

internal sealed partial class DebeziumDecoder
{
    /// <summary>
    /// The fields <c>ExtractNewRecordState</c> adds (<c>add.fields</c> with the default <c>__</c> prefix, dots as
    /// underscores, and <c>__deleted</c>): https://debezium.io/documentation/reference/stable/transformations/event-flattening.html#extract-new-record-state-add-fields.
    /// Other columns starting with <c>__</c> are the user's and are kept.
    /// </summary>
    private static readonly HashSet<string> MetadataFields = new(StringComparer.Ordinal)
    {
        "__deleted", "__op", "__ts_ms", "__ts_us", "__ts_ns", "__table", "__schema", "__db", "__lsn", "__txId",
        "__xmin", "__sequence", "__snapshot", "__name", "__connector", "__version",
    };

    private static readonly string[] MetadataPrefixes = ["__source_", "__transaction_"];

    internal static bool IsMetadataField(string name) =>
        MetadataFields.Contains(name) || MetadataPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

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
            : DecodeRow(payload, valueSchema, static name => !IsMetadataField(name));
        return new ChangeEvent(table, kind, position, key, row, CommitTime: CommitTime(EventMetadata.ReadInt64(payload, "__source_ts_ms")));
    }

    private Position FlattenedPosition(JsonElement payload, ChangeKind kind)
    {
        var sequence = payload.TryGetProperty("__source_sequence", out var s) ? s
            : payload.TryGetProperty("__sequence", out var t) ? t
            : default;
        if (EventMetadata.TryReadSequence(sequence, out var lastCommitLsn, out _))
        {
            return kind == ChangeKind.Snapshot
                ? CommitOrder.ForSnapshot(lastCommitLsn)
                : CommitOrder.ForStreamed(lastCommitLsn, EventMetadata.ReadInt64(payload, "__transaction_total_order"));
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

    /// <summary>
    /// A keyed tombstone in flattened form is the delete (<c>delete.tombstone.handling.mode=tombstone</c>). It has no
    /// value, hence no <c>source.sequence</c>: only <see cref="FlattenedOrdering.CommitTime"/> can version it, by
    /// the record timestamp; otherwise it is dead-lettered, and <c>rewrite</c> mode is the way to ordered deletes.
    /// </summary>
    private DecodeResult FlattenedTombstone(string topic, ReadOnlyMemory<byte> key, long? recordTimestampMs, out string? tableName)
    {
        var table = TableOf(null, null, topic, out tableName);
        if (settings.FlattenedOrdering != FlattenedOrdering.CommitTime || recordTimestampMs is not { } tsMs)
        {
            throw new DecodeException(
                "unordered_event",
                "Flattened delete sent as a tombstone carries no commit-order position. Set transforms.unwrap.delete.tombstone.handling.mode=rewrite " +
                "with source.sequence in add.fields (ordered deletes), or Cdc:Kafka:FlattenedOrdering=CommitTime to version it by the record timestamp.");
        }

        using var keyDocument = Parse(key, "key");
        var keyValues = DecodeKey(keyDocument, ChangeKind.Delete);
        return DecodeResult.Of(new ChangeEvent(table, ChangeKind.Delete, CommitOrder.ForCommitTime(tsMs, snapshot: false), keyValues, null, CommitTime: CommitTime(tsMs)));
    }
}
