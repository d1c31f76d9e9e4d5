using System.Text;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Bulk;

/// <summary>
/// The request validation ES runs before executing writes: any failure rejects the whole request with
/// action_request_validation_exception listing every problem.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html#index-versioning
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/optimistic-concurrency-control.html
/// </summary>
internal static class WriteValidation
{
    public static void Validate(IReadOnlyList<WriteRequest> requests)
    {
        List<string>? failures = null;
        if (requests.Count == 0)
        {
            (failures ??= []).Add("no requests added");
        }

        foreach (var request in requests)
        {
            Validate(request, ref failures);
        }

        if (failures is not null)
        {
            throw new EsException(EsErrors.Validation(failures));
        }
    }

    private static void Validate(WriteRequest r, ref List<string>? failures)
    {
        if (string.IsNullOrEmpty(r.Index))
        {
            (failures ??= []).Add("index is missing");
        }

        if (r.Op is WriteOp.Delete or WriteOp.Update && string.IsNullOrEmpty(r.Id))
        {
            (failures ??= []).Add("id is missing");
        }

        if (r.Id is not null && Encoding.UTF8.GetByteCount(r.Id) > 512)
        {
            (failures ??= []).Add($"id [{r.Id}] is too long, must be no longer than 512 bytes but was: {Encoding.UTF8.GetByteCount(r.Id)}");
        }

        if (r.Op == WriteOp.Update)
        {
            if (r.Update is { Doc: null, Upsert: null })
            {
                (failures ??= []).Add("script or doc is missing");
            }

            // The bulk parser refuses versioned updates before validation runs.
            if (r.Version != WriteRequest.MatchAny || r.VersionType != VersionType.Internal)
            {
                throw new EsException(EsErrors.IllegalArgument(
                    "Update requests do not support versioning. Please use `if_seq_no` and `if_primary_term` instead"));
            }
        }

        if (r.Op == WriteOp.Create && r.VersionType != VersionType.Internal)
        {
            (failures ??= []).Add("create operations only support internal versioning. use index instead");
        }

        if (r.VersionType == VersionType.Internal && r.Version != WriteRequest.MatchAny)
        {
            (failures ??= []).Add("internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead");
        }

        if (r.IfSeqNo != WriteRequest.UnassignedSeqNo && (r.VersionType != VersionType.Internal || r.Version != WriteRequest.MatchAny))
        {
            (failures ??= []).Add("compare and write operations can not use versioning");
        }

        if (r.IfPrimaryTerm == 0 && r.IfSeqNo != WriteRequest.UnassignedSeqNo)
        {
            (failures ??= []).Add("ifSeqNo is set, but primary term is [0]");
        }

        if (r.IfPrimaryTerm != 0 && r.IfSeqNo == WriteRequest.UnassignedSeqNo)
        {
            (failures ??= []).Add($"ifSeqNo is unassigned, but primary term is [{r.IfPrimaryTerm}]");
        }

        // External versions must be given and lie in 0..Long.MAX_VALUE.
        if (r.VersionType != VersionType.Internal && r.Version < 0)
        {
            (failures ??= []).Add($"illegal version value [{r.Version}] for version type [{r.VersionTypeName}]");
        }
    }
}
