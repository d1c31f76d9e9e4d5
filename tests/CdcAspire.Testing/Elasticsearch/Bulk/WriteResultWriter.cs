using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;

namespace CdcAspire.Testing.Elasticsearch.Bulk;

/// <summary>
/// Writes one write outcome in the shape of the document APIs and of bulk items.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html#bulk-api-response-body
/// </summary>
internal static class WriteResultWriter
{
    public static void WriteFields(Utf8JsonWriter w, string index, string? id, in WriteResult result, int replicas, bool forcedRefresh, bool withStatus)
    {
        w.WriteString("_index", index);
        if (id is not null)
        {
            w.WriteString("_id", id);
        }

        if (result.Error is { } error)
        {
            w.WriteNumber("status", error.Status);
            w.WritePropertyName("error");
            error.WriteObject(w);
            return;
        }

        w.WriteNumber("_version", result.Version);
        w.WriteString("result", result.Result);
        if (forcedRefresh)
        {
            w.WriteBoolean("forced_refresh", true);
        }

        // A single node holds the primary only: with replicas configured, total counts the unassigned copies.
        w.WriteStartObject("_shards");
        w.WriteNumber("total", result.IsNoop ? 0 : 1 + replicas);
        w.WriteNumber("successful", result.IsNoop ? 0 : 1);
        w.WriteNumber("failed", 0);
        w.WriteEndObject();
        w.WriteNumber("_seq_no", result.SeqNo);
        w.WriteNumber("_primary_term", EsIndex.PrimaryTerm);
        if (withStatus)
        {
            w.WriteNumber("status", result.Status);
        }
    }

    public static string ActionName(WriteOp op) => op switch
    {
        WriteOp.Index => "index",
        WriteOp.Create => "create",
        WriteOp.Delete => "delete",
        _ => "update",
    };
}
