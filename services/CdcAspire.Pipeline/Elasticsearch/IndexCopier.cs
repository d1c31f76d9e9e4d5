using System.Text;
using System.Text.Json;
using CdcAspire.Pipeline.Changes;
using EsMethod = Elastic.Transport.HttpMethod;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Copies every document of one index into another with its <c>_version</c> as the external version
/// (<c>external_gte</c>), so the copy is never stale: a document the target already holds at a newer version keeps it,
/// and running the copy again (after a crash) is harmless. Reads one point in time page by page
/// (https://www.elastic.co/guide/en/elasticsearch/reference/current/point-in-time-api.html,
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/paginate-search-results.html#search-after);
/// the same as <c>_reindex</c> with <c>"version_type": "external"</c>, written with the pipeline's own bulk path.
/// </summary>
internal sealed class IndexCopier(SearchClusterClient client)
{
    private const int PageSize = 1000;
    private const string KeepAlive = "2m";

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/>; returns the documents copied.</summary>
    public async Task<long> CopyAsync(string source, string target, TableId table, CancellationToken cancellationToken)
    {
        var (_, opened) = await client.SendJsonAsync(EsMethod.POST, $"/{Uri.EscapeDataString(source)}/_pit?keep_alive={KeepAlive}", null, allowNotFound: false, cancellationToken);
        string pit;
        using (var doc = JsonDocument.Parse(opened))
        {
            pit = doc.RootElement.GetProperty("id").GetString()!;
        }

        long copied = 0;
        try
        {
            string? after = null;
            while (true)
            {
                var body = new StringBuilder("{\"size\":").Append(PageSize)
                    .Append(",\"track_total_hits\":false,\"version\":true,\"pit\":{\"id\":").Append(JsonSerializer.Serialize(pit))
                    .Append(",\"keep_alive\":\"").Append(KeepAlive).Append("\"},\"sort\":[{\"_doc\":\"asc\"}]");
                if (after is not null)
                {
                    body.Append(",\"search_after\":").Append(after);
                }

                var (_, page) = await client.SendJsonAsync(EsMethod.POST, "/_search", body.Append('}').ToString(), allowNotFound: false, cancellationToken);
                var actions = new List<IndexAction>(PageSize);
                using (var doc = JsonDocument.Parse(page))
                {
                    if (doc.RootElement.TryGetProperty("pit_id", out var newPit) && newPit.GetString() is { } id)
                    {
                        pit = id;
                    }

                    foreach (var hit in doc.RootElement.GetProperty("hits").GetProperty("hits").EnumerateArray())
                    {
                        actions.Add(new IndexAction(
                            WriteOperation.Index, target, hit.GetProperty("_id").GetString()!, hit.GetProperty("_version").GetInt64(),
                            Encoding.UTF8.GetBytes(hit.GetProperty("_source").GetRawText()), table, default));
                        after = hit.GetProperty("sort").GetRawText();
                    }
                }

                if (actions.Count == 0)
                {
                    return copied;
                }

                await WriteAsync(actions, cancellationToken);
                copied += actions.Count;
            }
        }
        finally
        {
            try
            {
                await client.SendJsonAsync(EsMethod.DELETE, "/_pit", $"{{\"id\":{JsonSerializer.Serialize(pit)}}}", allowNotFound: true, CancellationToken.None);
            }
            catch (ElasticsearchException)
            {
                // It expires on its own after the keep-alive.
            }
        }
    }

    /// <summary>Writes until every document is applied or superseded (a newer version is already there).</summary>
    private async Task WriteAsync(List<IndexAction> actions, CancellationToken cancellationToken)
    {
        for (var attempt = 0; actions.Count > 0; attempt++)
        {
            var outcomes = await client.BulkAsync(actions, cancellationToken);
            var retry = new List<IndexAction>();
            for (var i = 0; i < actions.Count; i++)
            {
                switch (outcomes[i].Status)
                {
                    case BulkItemStatus.Applied or BulkItemStatus.Superseded:
                        break;
                    case BulkItemStatus.Retry when attempt < 10:
                        retry.Add(actions[i]);
                        break;
                    default:
                        throw new ElasticsearchException(
                            $"Copying document {actions[i].Id} into {actions[i].Index} failed ({outcomes[i].HttpStatus} {outcomes[i].ErrorType}: {outcomes[i].ErrorReason}). " +
                            "The source index stays in place; fix the cause (index template, disk) and restart.",
                            null, outcomes[i].ErrorType, isTransient: outcomes[i].Status == BulkItemStatus.Retry);
                }
            }

            actions = retry;
            if (actions.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (attempt + 1)), cancellationToken);
            }
        }
    }
}
