using System.Globalization;
using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Bulk;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Search;

namespace CdcAspire.Testing.Elasticsearch.Handlers;

/// <summary>
/// Single-document APIs. GET is realtime (it sees writes not yet refreshed) unless realtime=false.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-get.html
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-multi-get.html
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-delete.html
/// </summary>
internal sealed class DocumentHandlers
{
    private readonly ClusterState _cluster;

    public DocumentHandlers(ClusterState cluster) => _cluster = cluster;

    public EsResponse Get(EsRequest request, string target, string id)
    {
        var index = SingleIndex(target);
        var realtime = request.QueryFlag("realtime", defaultValue: true);
        DocEntry? entry;
        lock (index.Gate)
        {
            if (request.QueryFlag("refresh"))
            {
                index.Refresh();
            }

            entry = realtime ? index.GetLive(id) : index.GetSearchable(id);
        }

        if (request.IsHead)
        {
            return EsResponse.Empty(entry is null ? 404 : 200);
        }

        var source = request.Query("_source") is not null || request.Query("_source_includes") is not null || request.Query("_source_excludes") is not null
            ? SourceFilter.FromQuery(request.Query("_source"), request.Query("_source_includes"), request.Query("_source_excludes"))
            : SourceFilter.All;
        return EsResponse.Json(entry is null ? 404 : 200, w =>
        {
            w.WriteStartObject();
            WriteDoc(w, index.Name, id, entry, source);
            w.WriteEndObject();
        });
    }

    public EsResponse MultiGet(EsRequest request, string? defaultIndex)
    {
        using var body = request.ParseJsonBody() ?? throw new EsException(EsErrors.Validation(["no documents to get"]));
        var docs = new List<(string? Index, string Id, SourceFilter Source)>();
        if (body.RootElement.TryGetProperty("docs", out var list))
        {
            foreach (var doc in list.EnumerateArray())
            {
                docs.Add((doc.TryGetProperty("_index", out var i) ? i.GetString() : defaultIndex, FieldValues.AsString(doc.GetProperty("_id"))!,
                    doc.TryGetProperty("_source", out var s) ? SourceFilter.Parse(s) : SourceFilter.All));
            }
        }
        else if (body.RootElement.TryGetProperty("ids", out var ids))
        {
            docs.AddRange(ids.EnumerateArray().Select(id => (defaultIndex, FieldValues.AsString(id)!, SourceFilter.All)));
        }

        var missing = docs.Select((d, i) => (d, i)).Where(x => x.d.Index is null).Select(x => $"index is missing for doc {x.i}").ToList();
        if (docs.Count == 0 || missing.Count > 0)
        {
            throw new EsException(EsErrors.Validation(docs.Count == 0 ? ["no documents to get"] : missing));
        }

        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("docs");
            foreach (var (target, id, source) in docs)
            {
                w.WriteStartObject();
                try
                {
                    var index = SingleIndex(target!);
                    DocEntry? entry;
                    lock (index.Gate)
                    {
                        entry = index.GetLive(id);
                    }

                    WriteDoc(w, index.Name, id, entry, source);
                }
                catch (EsException ex)
                {
                    w.WriteString("_index", target);
                    w.WriteString("_id", id);
                    w.WritePropertyName("error");
                    ex.Error.WriteErrorBody(w);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>PUT/POST /{index}/_doc/{id}, POST /{index}/_doc, PUT/POST /{index}/_create/{id}, DELETE /{index}/_doc/{id}.</summary>
    public EsResponse Write(EsRequest request, string target, string? id, WriteOp op)
    {
        var write = new WriteRequest { Op = op, Index = target, Id = id };
        if (request.Query("op_type") == "create")
        {
            write.Op = WriteOp.Create;
        }

        if (request.Query("version") is { } version)
        {
            write.Version = long.Parse(version, CultureInfo.InvariantCulture);
        }

        if (request.Query("version_type") is { } versionType)
        {
            (write.VersionType, write.VersionTypeName) = BulkParser.ParseVersionType(versionType);
        }

        write.IfSeqNo = request.Query("if_seq_no") is { } seqNo ? long.Parse(seqNo, CultureInfo.InvariantCulture) : write.IfSeqNo;
        write.IfPrimaryTerm = request.Query("if_primary_term") is { } term ? long.Parse(term, CultureInfo.InvariantCulture) : 0;
        if (op == WriteOp.Update)
        {
            // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-update.html
            write.Update = UpdateParser.Parse(request.Body, 1);
        }
        else if (op != WriteOp.Delete)
        {
            if (!request.HasBody)
            {
                throw new EsException(EsErrors.Validation(["source is missing"]));
            }

            write.Source = request.Body.ToArray();
        }

        WriteValidation.Validate([write]);
        write.Id ??= AutoIds.Next();
        var index = _cluster.ResolveForWrite(target, requireAlias: false);
        var now = _cluster.Now;
        WriteResult result;
        lock (index.Gate)
        {
            index.ApplyScheduledRefresh(now);
            result = index.Write(write, now);
            if (request.Query("refresh") is "" or "true" or "wait_for")
            {
                index.Refresh();
            }
        }

        if (result.Error is not null)
        {
            return EsResponse.Error(result.Error);
        }

        var forced = request.Query("refresh") is "" or "true";
        return EsResponse.Json(result.Status, w =>
        {
            w.WriteStartObject();
            WriteResultWriter.WriteFields(w, index.Name, write.Id, result, index.Settings.Replicas, forced, withStatus: false);
            w.WriteEndObject();
        });
    }

    private EsIndex SingleIndex(string target)
    {
        var indices = _cluster.ResolveRead(target, "index_expression");
        if (indices.Count == 1)
        {
            return indices[0];
        }

        throw new EsException(EsErrors.IllegalArgument(
            $"alias [{target}] has more than one index associated with it [{string.Join(", ", indices.Select(i => i.Name))}], can't execute a single index op"));
    }

    private static void WriteDoc(Utf8JsonWriter w, string index, string id, DocEntry? entry, SourceFilter source)
    {
        w.WriteString("_index", index);
        w.WriteString("_id", id);
        if (entry is null)
        {
            w.WriteBoolean("found", false);
            return;
        }

        w.WriteNumber("_version", entry.Version);
        w.WriteNumber("_seq_no", entry.SeqNo);
        w.WriteNumber("_primary_term", EsIndex.PrimaryTerm);
        w.WriteBoolean("found", true);
        if (source.Enabled)
        {
            w.WritePropertyName("_source");
            source.Write(w, entry);
        }
    }
}
