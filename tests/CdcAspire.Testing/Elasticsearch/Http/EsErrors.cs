namespace CdcAspire.Testing.Elasticsearch.Http;

/// <summary>
/// Factories for the errors Elasticsearch 8.x returns, with its exception names and reason texts.
/// Error shape: https://www.elastic.co/guide/en/elasticsearch/reference/current/common-options.html
/// </summary>
internal static class EsErrors
{
    // https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules-blocks.html (index.blocks.write)
    public static EsError WriteBlocked(string index) =>
        new(403, "cluster_block_exception", $"index [{index}] blocked by: [FORBIDDEN/8/index write (api)];");

    public static EsError IllegalArgument(string reason) => new(400, "illegal_argument_exception", reason);

    public static EsError Parsing(string reason) => new(400, "parsing_exception", reason);

    public static EsError XContentParse(string reason) => new(400, "x_content_parse_exception", reason);

    /// <summary>ES collects every validation failure of a request into one message: "Validation Failed: 1: a;2: b;".</summary>
    public static EsError Validation(IReadOnlyList<string> failures)
    {
        var text = new System.Text.StringBuilder("Validation Failed: ");
        for (var i = 0; i < failures.Count; i++)
        {
            text.Append(i + 1).Append(": ").Append(failures[i]).Append(';');
        }

        return new EsError(400, "action_request_validation_exception", text.ToString());
    }

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/multi-index.html (ignore_unavailable=false)
    public static EsError IndexNotFound(string name, string resourceType = "index_or_alias") =>
        new EsError(404, "index_not_found_exception", $"no such index [{name}]")
            .With("resource.type", resourceType).With("resource.id", name).With("index_uuid", "_na_").With("index", name);

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-create-index.html
    public static EsError IndexAlreadyExists(string name, string uuid) =>
        new EsError(400, "resource_already_exists_exception", $"index [{name}/{uuid}] already exists")
            .With("index_uuid", uuid).With("index", name);

    public static EsError InvalidIndexName(string name, string why) =>
        new EsError(400, "invalid_index_name_exception", $"Invalid index name [{name}], {why}")
            .With("index_uuid", "_na_").With("index", name);

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/optimistic-concurrency-control.html
    public static EsError VersionConflict(string index, string uuid, string id, string explanation) =>
        new EsError(409, "version_conflict_engine_exception", $"[{id}]: version conflict, {explanation}")
            .WithShard(index, uuid);

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-update.html
    public static EsError DocumentMissing(string index, string uuid, string id) =>
        new EsError(404, "document_missing_exception", $"[{id}]: document missing").WithShard(index, uuid);

    public static EsError ResourceNotFound(string reason) => new(404, "resource_not_found_exception", reason);

    /// <summary>Search-time failures are wrapped: "all shards failed" with the shard failure as cause.</summary>
    public static EsError SearchPhase(EsError cause) =>
        new(cause.Status, "search_phase_execution_exception", "all shards failed", cause);

    /// <summary>Used where the test server deliberately does not implement an ES feature, so a test fails loudly.</summary>
    public static EsError NotSupported(string what) =>
        IllegalArgument($"{what} is not supported by the Elasticsearch test server");
}
