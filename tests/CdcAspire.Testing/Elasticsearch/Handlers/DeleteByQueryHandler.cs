using System.Diagnostics;
using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Search;

namespace CdcAspire.Testing.Elasticsearch.Handlers;

/// <summary>
/// POST /{index}/_delete_by_query: deletes the matches of a snapshot of the searchable view, each with if_seq_no of
/// the snapshot, so documents changed since the last refresh are version conflicts. conflicts=abort (default) stops
/// at the first conflict; conflicts=proceed counts them and goes on.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-delete-by-query.html
/// </summary>
internal sealed class DeleteByQueryHandler
{
    private readonly ClusterState _cluster;

    public DeleteByQueryHandler(ClusterState cluster) => _cluster = cluster;

    public EsResponse Handle(EsRequest request, string target)
    {
        var started = Stopwatch.GetTimestamp();
        if (!request.QueryFlag("wait_for_completion", defaultValue: true))
        {
            throw new EsException(EsErrors.NotSupported("wait_for_completion=false (tasks)"));
        }

        var proceed = request.Query("conflicts") == "proceed";
        var indices = _cluster.ResolveRead(target);
        using var body = request.ParseJsonBody();
        JsonElement? queryElement = null;
        if (body is not null && body.RootElement.TryGetProperty("query", out var q))
        {
            queryElement = q;
        }

        if (queryElement is null)
        {
            throw new EsException(EsErrors.Validation(["query is missing"]));
        }

        var now = _cluster.Now;
        var hits = SearchExecutor.Collect(indices, QueryParser.Parse(queryElement, now), null, now);
        long deleted = 0, conflicts = 0;
        var failures = new List<(Hit Hit, EsError Error)>();
        foreach (var hit in hits)
        {
            var delete = new WriteRequest { Op = WriteOp.Delete, Id = hit.Id, IfSeqNo = hit.Entry.SeqNo, IfPrimaryTerm = EsIndex.PrimaryTerm };
            WriteResult result;
            lock (hit.Index.Gate)
            {
                result = hit.Index.Write(delete, now);
            }

            if (result.Error is null)
            {
                deleted++;
                continue;
            }

            conflicts++;
            if (!proceed)
            {
                failures.Add((hit, result.Error));
                break;
            }
        }

        if (request.Query("refresh") is "" or "true")
        {
            foreach (var index in indices)
            {
                lock (index.Gate)
                {
                    index.Refresh();
                }
            }
        }

        var took = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var status = failures.Count > 0 ? 409 : 200;
        return EsResponse.Json(status, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("took", took);
            w.WriteBoolean("timed_out", false);
            w.WriteNumber("total", hits.Count);
            w.WriteNumber("deleted", deleted);
            w.WriteNumber("batches", Math.Max(1, (hits.Count + 999) / 1000));
            w.WriteNumber("version_conflicts", conflicts);
            w.WriteNumber("noops", 0);
            w.WriteStartObject("retries");
            w.WriteNumber("bulk", 0);
            w.WriteNumber("search", 0);
            w.WriteEndObject();
            w.WriteNumber("throttled_millis", 0);
            w.WriteNumber("requests_per_second", -1.0);
            w.WriteNumber("throttled_until_millis", 0);
            w.WriteStartArray("failures");
            foreach (var (hit, error) in failures)
            {
                w.WriteStartObject();
                w.WriteString("index", hit.Index.Name);
                w.WriteString("id", hit.Id);
                w.WritePropertyName("cause");
                error.WriteObject(w);
                w.WriteNumber("status", error.Status);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
