using System.Text.Json;
using System.Text.Json.Nodes;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// Applies index/create/delete/update to one <see cref="EsIndex"/> with Elasticsearch's version semantics.
/// Runs under the index's lock.
/// Versioning: https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html#index-versioning
/// Optimistic concurrency: https://www.elastic.co/guide/en/elasticsearch/reference/current/optimistic-concurrency-control.html
/// </summary>
internal sealed class DocumentWriter
{
    private readonly EsIndex _index;

    public DocumentWriter(EsIndex index) => _index = index;

    public WriteResult Write(WriteRequest request, DateTimeOffset now) => request.Op switch
    {
        WriteOp.Delete => Delete(request, now),
        WriteOp.Update => Update(request, now),
        _ => Index(request, request.Source!, now),
    };

    private WriteResult Index(WriteRequest request, byte[] source, DateTimeOffset now)
    {
        var id = request.Id!;

        // The document is parsed (and dynamic mappings applied) before the engine checks versions, as in ES.
        var parseError = _index.Validator.Validate(source, id);
        if (parseError is not null)
        {
            return WriteResult.Failed(parseError);
        }

        _index.Validator.Commit();
        var (live, _, current) = _index.Lookup(id, now);
        var conflict = Conflict(request, id, live, current);
        if (conflict is not null)
        {
            return WriteResult.Failed(conflict);
        }

        var version = NewVersion(request, current);
        var entry = new DocEntry(source, version, _index.NextSeqNo());
        _index.Put(id, live, entry);
        return live is null
            ? new WriteResult(201, "created", version, entry.SeqNo, null)
            : new WriteResult(200, "updated", version, entry.SeqNo, null);
    }

    // Deleting records a tombstone even when the document does not exist (result not_found, status 404), so an
    // external-versioned delete that arrives first still blocks older writes until index.gc_deletes passes.
    // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-delete.html#delete-versioning
    private WriteResult Delete(WriteRequest request, DateTimeOffset now)
    {
        var id = request.Id!;
        var (live, _, current) = _index.Lookup(id, now);
        var conflict = Conflict(request, id, live, current);
        if (conflict is not null)
        {
            return WriteResult.Failed(conflict);
        }

        var version = NewVersion(request, current);
        var seqNo = _index.NextSeqNo();
        _index.Remove(id, live, new Tombstone(version, seqNo, now));
        return live is null
            ? new WriteResult(404, "not_found", version, seqNo, null)
            : new WriteResult(200, "deleted", version, seqNo, null);
    }

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-update.html
    private WriteResult Update(WriteRequest request, DateTimeOffset now)
    {
        var id = request.Id!;
        var spec = request.Update!;
        var (live, _, _) = _index.Lookup(id, now);
        if (live is null)
        {
            var upsert = spec.DocAsUpsert ? spec.Doc : spec.Upsert;
            if (upsert is null)
            {
                return WriteResult.Failed(EsErrors.DocumentMissing(_index.Name, _index.Uuid, id));
            }

            return Index(request, JsonSerializer.SerializeToUtf8Bytes(upsert), now);
        }

        if (request.IfSeqNo != WriteRequest.UnassignedSeqNo)
        {
            var conflict = Conflict(request, id, live, live.Version);
            if (conflict is not null)
            {
                return WriteResult.Failed(conflict);
            }
        }

        var merged = JsonNode.Parse(live.Source) as JsonObject ?? [];
        var changed = spec.Doc is not null && Merge(merged, spec.Doc);

        // detect_noop (default true): an update that changes nothing is reported as "noop" and writes nothing.
        if (!changed && spec.DetectNoop)
        {
            return new WriteResult(200, "noop", live.Version, live.SeqNo, null);
        }

        var plain = new WriteRequest { Op = WriteOp.Index, Id = id };
        var result = Index(plain, JsonSerializer.SerializeToUtf8Bytes(merged), now);
        return result;
    }

    private EsError? Conflict(WriteRequest request, string id, DocEntry? live, long current)
    {
        if (request.IfSeqNo != WriteRequest.UnassignedSeqNo)
        {
            if (live is null)
            {
                return EsErrors.VersionConflict(_index.Name, _index.Uuid, id,
                    $"required seqNo [{request.IfSeqNo}], primary term [{request.IfPrimaryTerm}]. but no document was found");
            }

            if (live.SeqNo != request.IfSeqNo || EsIndex.PrimaryTerm != request.IfPrimaryTerm)
            {
                return EsErrors.VersionConflict(_index.Name, _index.Uuid, id,
                    $"required seqNo [{request.IfSeqNo}], primary term [{request.IfPrimaryTerm}]. current document has seqNo [{live.SeqNo}] and primary term [{EsIndex.PrimaryTerm}]");
            }

            return null;
        }

        if (request.Op == WriteOp.Create && live is not null)
        {
            return EsErrors.VersionConflict(_index.Name, _index.Uuid, id, $"document already exists (current version [{live.Version}])");
        }

        // A tombstone counts as the current version: only a document never seen (or forgotten) is NOT_FOUND.
        return request.VersionType switch
        {
            VersionType.External when current != -1 && current >= request.Version => EsErrors.VersionConflict(
                _index.Name, _index.Uuid, id, $"current version [{current}] is higher or equal to the one provided [{request.Version}]"),
            VersionType.ExternalGte when current != -1 && current > request.Version => EsErrors.VersionConflict(
                _index.Name, _index.Uuid, id, $"current version [{current}] is higher than the one provided [{request.Version}]"),
            _ => null,
        };
    }

    private static long NewVersion(WriteRequest request, long current) =>
        request.VersionType == VersionType.Internal ? (current == -1 ? 1 : current + 1) : request.Version;

    // Partial documents merge recursively into objects; any other value replaces the old one.
    private static bool Merge(JsonObject target, JsonObject doc)
    {
        var changed = false;
        foreach (var (key, value) in doc)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                changed |= Merge(existing, inner);
            }
            else if (!target.ContainsKey(key) || !JsonNode.DeepEquals(target[key], value))
            {
                target[key] = value?.DeepClone();
                changed = true;
            }
        }

        return changed;
    }
}
