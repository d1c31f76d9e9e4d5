using System.Text.Json;
using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Kafka.Debezium;

internal sealed partial class DebeziumDecoder
{
    /// <summary>
    /// The full envelope: <c>op</c>, <c>after</c> (the row for c/u/r), <c>source</c> (table, <c>sequence</c>,
    /// commit <c>ts_ms</c>), optional <c>transaction</c>. <c>before</c> is not needed: deletes are keyed by the
    /// record key, and a primary-key change arrives as a delete of the old key plus a create of the new one.
    /// </summary>
    private ChangeEvent? DecodeEnvelope(string topic, JsonDocument? keyDocument, JsonElement payload, ConnectSchema? valueSchema, out string? tableName)
    {
        tableName = null;
        var op = payload.GetProperty("op").GetString();
        ChangeKind kind;
        switch (op)
        {
            case "c": kind = ChangeKind.Insert; break;
            case "u": kind = ChangeKind.Update; break;
            case "d": kind = ChangeKind.Delete; break;
            case "r": kind = ChangeKind.Snapshot; break;
            case "t": kind = ChangeKind.Truncate; break;
            case "m": return null;
            default: throw new DecodeException("unknown_operation", $"Unknown Debezium operation '{op}' (expected c, u, d, r, t or m).");
        }

        if (!payload.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            throw new DecodeException("malformed_envelope", "The event has no 'source' block.");
        }

        var table = TableOf(EventMetadata.ReadString(source, "schema"), EventMetadata.ReadString(source, "table"), topic, out tableName);
        if (!source.TryGetProperty("sequence", out var sequence) ||
            !EventMetadata.TryReadSequence(sequence, out var lastCommitLsn, out _))
        {
            throw new DecodeException("unordered_event", "source.sequence is missing (Debezium before 1.5?); events cannot be ordered by commit. Upgrade the connector.");
        }

        var position = kind == ChangeKind.Snapshot
            ? CommitOrder.ForSnapshot(lastCommitLsn)
            : CommitOrder.ForStreamed(lastCommitLsn, TotalOrder(payload));

        var key = DecodeKey(keyDocument, kind);
        IReadOnlyList<ColumnValue>? row = null;
        if (kind is ChangeKind.Snapshot or ChangeKind.Insert or ChangeKind.Update)
        {
            if (!payload.TryGetProperty("after", out var after) || after.ValueKind != JsonValueKind.Object)
            {
                throw new DecodeException("malformed_envelope", $"A '{op}' event has no 'after' row.");
            }

            row = DecodeRow(after, valueSchema?.FieldSchema("after"));
        }

        return new ChangeEvent(table, kind, position, key, row, CommitTime: CommitTime(EventMetadata.ReadInt64(source, "ts_ms")));
    }

    private static long? TotalOrder(JsonElement payload) =>
        payload.TryGetProperty("transaction", out var transaction) ? EventMetadata.ReadInt64(transaction, "total_order") : null;

    private TableId TableOf(string? schemaName, string? table, string topic, out string? tableName)
    {
        var id = table is { Length: > 0 }
            ? new TableId(schemaName is { Length: > 0 } ? schemaName : "public", table)
            : TableFromTopic(topic);
        tableName = id.ToString();
        return ResolveTable(id.Schema, id.Name, topic);
    }
}
