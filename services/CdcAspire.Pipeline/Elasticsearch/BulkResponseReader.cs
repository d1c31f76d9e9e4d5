using System.Text.Json;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Reads a <c>_bulk</c> response: one item per action, in request order, each with its HTTP status and, on
/// failure, <c>error.type</c> and <c>error.reason</c>.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html#bulk-api-response-body
/// </summary>
internal static class BulkResponseReader
{
    private static readonly BulkItemOutcome Ok = new(BulkItemStatus.Applied, 200, null, null);

    public static BulkItemOutcome[] Read(ReadOnlySpan<byte> body, int expectedItems)
    {
        // Fast path: "errors": false (a top-level field before "items") means every item succeeded, which is the
        // common case; the items then need no parsing. Deletes of missing documents are not errors there either.
        if (HasNoErrors(body))
        {
            return Enumerable.Repeat(Ok, expectedItems).ToArray();
        }

        using var document = JsonDocument.Parse(body.ToArray());
        if (!document.RootElement.TryGetProperty("items", out var items) || items.GetArrayLength() != expectedItems)
        {
            throw new ElasticsearchException(
                $"The _bulk response does not hold {expectedItems} items; the request is sent again.", null, null, isTransient: true);
        }

        var outcomes = new BulkItemOutcome[expectedItems];
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            // Each item is {"<action>": {...}}.
            var result = item.EnumerateObject().First().Value;
            var status = result.GetProperty("status").GetInt32();
            string? type = null, reason = null;
            if (result.TryGetProperty("error", out var error))
            {
                type = error.TryGetProperty("type", out var t) ? t.GetString() : null;
                reason = error.TryGetProperty("reason", out var r) ? r.GetString() : null;
                if (error.TryGetProperty("caused_by", out var cause) && cause.TryGetProperty("reason", out var cr))
                {
                    reason = $"{reason}; caused by: {cr.GetString()}";
                }
            }

            outcomes[i++] = new BulkItemOutcome(Classify(status, result), status, type, reason);
        }

        return outcomes;
    }

    private static bool HasNoErrors(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                return false; // "errors" comes first in Elasticsearch's responses; without it, read the items.
            }

            var isErrors = reader.ValueTextEquals("errors"u8);
            if (!reader.Read())
            {
                return false;
            }

            if (isErrors)
            {
                return reader.TokenType == JsonTokenType.False;
            }

            reader.Skip();
        }

        return false;
    }

    private static BulkItemStatus Classify(int status, JsonElement result) => status switch
    {
        >= 200 and < 300 => BulkItemStatus.Applied,

        // A delete of a missing document answers 404 "not_found" without an error object; with an external
        // version it still records the tombstone, so it is applied.
        404 when !result.TryGetProperty("error", out _) => BulkItemStatus.Applied,
        409 => BulkItemStatus.Superseded,
        _ when ElasticsearchException.IsTransientStatus(status) => BulkItemStatus.Retry,
        _ => BulkItemStatus.Rejected,
    };
}
