using System.Text.Json.Nodes;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// Deep merge of mapping JSON: a create-index request's mappings overlay its template's.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/index-templates.html (merging)
/// </summary>
internal static class JsonMerge
{
    public static JsonObject? Merge(JsonObject? baseObject, JsonObject? overlay)
    {
        if (baseObject is null)
        {
            return overlay?.DeepClone().AsObject();
        }

        var result = baseObject.DeepClone().AsObject();
        if (overlay is not null)
        {
            MergeInto(result, overlay);
        }

        return result;
    }

    private static void MergeInto(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                MergeInto(existing, inner);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
