using System.Text.Json;
using System.Text.Json.Nodes;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Bulk;

/// <summary>
/// Parses an update body. Only partial documents are supported; scripts fail loudly.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-update.html
/// </summary>
internal static class UpdateParser
{
    public static UpdateSpec Parse(ReadOnlySpan<byte> json, int line)
    {
        JsonObject body;
        try
        {
            body = JsonNode.Parse(json) as JsonObject
                ?? throw new EsException(EsErrors.XContentParse($"[{line}:1] [UpdateRequest] Expected START_OBJECT"));
        }
        catch (JsonException ex)
        {
            throw new EsException(EsErrors.XContentParse($"[{line}:{(ex.BytePositionInLine ?? 0) + 1}] {ex.Message}"));
        }

        JsonObject? doc = null, upsert = null;
        bool docAsUpsert = false, detectNoop = true;
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "doc":
                    doc = value as JsonObject;
                    break;
                case "upsert":
                    upsert = value as JsonObject;
                    break;
                case "doc_as_upsert":
                    docAsUpsert = value?.GetValueKind() == JsonValueKind.True;
                    break;
                case "detect_noop":
                    detectNoop = value?.GetValueKind() != JsonValueKind.False;
                    break;
                case "_source":
                    break;
                case "script" or "scripted_upsert":
                    throw new EsException(EsErrors.NotSupported("A scripted update"));
                default:
                    throw new EsException(EsErrors.XContentParse($"[{line}:2] [UpdateRequest] unknown field [{key}]"));
            }
        }

        return new UpdateSpec(doc, docAsUpsert, upsert, detectNoop);
    }
}
