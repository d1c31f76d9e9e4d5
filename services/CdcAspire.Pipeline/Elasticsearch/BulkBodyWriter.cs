using System.Buffers;
using System.Text.Json;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Writes the NDJSON body of a <c>_bulk</c> request
/// (https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html): an action line, then for
/// index actions the document line; the body ends with a newline.
/// </summary>
internal static class BulkBodyWriter
{
    /// <summary>
    /// <c>external_gte</c>, not <c>external</c>: see <see cref="Changes.Position.ToExternalVersion"/> for why equal
    /// versions are safe and useful here.
    /// </summary>
    private static readonly JsonEncodedText VersionType = JsonEncodedText.Encode("external_gte");
    private static readonly JsonEncodedText IndexOp = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText DeleteOp = JsonEncodedText.Encode("delete");
    private static readonly JsonEncodedText IndexName = JsonEncodedText.Encode("_index");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("_id");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText VersionTypeName = JsonEncodedText.Encode("version_type");

    public static void Write(IBufferWriter<byte> output, IReadOnlyList<IndexAction> actions)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        foreach (var action in actions)
        {
            json.WriteStartObject();
            json.WriteStartObject(action.Operation == WriteOperation.Index ? IndexOp : DeleteOp);
            json.WriteString(IndexName, action.Index);
            json.WriteString(IdName, action.Id);
            json.WriteNumber(VersionName, action.Version);
            json.WriteString(VersionTypeName, VersionType);
            json.WriteEndObject();
            json.WriteEndObject();
            json.Flush();
            output.Write("\n"u8);
            if (action.Operation == WriteOperation.Index)
            {
                output.Write(action.Document.Span);
                output.Write("\n"u8);
            }

            json.Reset(output);
        }
    }
}
