using System.Globalization;
using System.Text.Json;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>Reads Debezium's ordering metadata (<c>source.sequence</c>, <c>transaction.total_order</c>).</summary>
internal static class EventMetadata
{
    /// <summary>
    /// Parses <c>source.sequence</c>: a string holding a JSON array <c>["lastCommitLsn","lsn"]</c>, either may be null.
    /// Returns false when the event has no sequence at all.
    /// </summary>
    public static bool TryReadSequence(JsonElement sequence, out ulong? lastCommitLsn, out ulong? lsn)
    {
        lastCommitLsn = null;
        lsn = null;
        if (sequence.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            using var array = JsonDocument.Parse(sequence.GetString()!);
            if (array.RootElement.ValueKind != JsonValueKind.Array || array.RootElement.GetArrayLength() != 2)
            {
                throw new DecodeException("malformed_sequence", $"source.sequence '{sequence.GetString()}' is not a two-element array.");
            }

            lastCommitLsn = ReadLsn(array.RootElement[0]);
            lsn = ReadLsn(array.RootElement[1]);
            return true;
        }
        catch (JsonException ex)
        {
            throw new DecodeException("malformed_sequence", $"source.sequence '{sequence.GetString()}' is not JSON: {ex.Message}", ex);
        }
    }

    public static long? ReadInt64(JsonElement parent, string property) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt64(out var n) => n,
                JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                _ => null,
            }
            : null;

    public static string? ReadString(JsonElement parent, string property) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary><c>source.snapshot</c> is true/last/first/... during snapshots (a boolean in old versions).</summary>
    public static bool IsSnapshotMarker(JsonElement parent, string property) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(property, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => !value.ValueEquals("false"),
            _ => false,
        };

    private static ulong? ReadLsn(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String when ulong.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) => v,
        JsonValueKind.Number when element.TryGetUInt64(out var v) => v,
        _ => throw new DecodeException("malformed_sequence", $"source.sequence element {element.GetRawText()} is not an LSN."),
    };
}
