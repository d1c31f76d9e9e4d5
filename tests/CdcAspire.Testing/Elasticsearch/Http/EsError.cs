using System.Text.Json;

namespace CdcAspire.Testing.Elasticsearch.Http;

/// <summary>
/// An Elasticsearch exception as the REST layer serialises it: <c>type</c>, <c>reason</c>, metadata fields such as
/// <c>index_uuid</c>, and an optional <c>caused_by</c> chain.
/// Shape: https://www.elastic.co/guide/en/elasticsearch/reference/current/common-options.html#common-options-error-options
/// </summary>
internal sealed class EsError
{
    private List<KeyValuePair<string, string>>? _metadata;

    public EsError(int status, string type, string reason, EsError? causedBy = null)
    {
        Status = status;
        Type = type;
        Reason = reason;
        CausedBy = causedBy;
    }

    public int Status { get; }

    public string Type { get; }

    public string Reason { get; }

    public EsError? CausedBy { get; }

    /// <summary>Response headers ES also copies into the body's <c>header</c> object (security exceptions).</summary>
    public IReadOnlyDictionary<string, string[]>? Headers { get; init; }

    /// <summary>Extra top-level fields of the whole response next to <c>error</c> and <c>status</c>.</summary>
    public EsError With(string key, string value)
    {
        (_metadata ??= []).Add(new(key, value));
        return this;
    }

    /// <summary>Adds the metadata ES attaches to shard-level failures (version conflicts, missing documents).</summary>
    public EsError WithShard(string indexName, string indexUuid) =>
        With("index_uuid", indexUuid).With("shard", "0").With("index", indexName);

    /// <summary>Writes <c>{"type":..,"reason":..,metadata..,"caused_by":{..}}</c>.</summary>
    public void WriteObject(Utf8JsonWriter writer, bool includeCause = true)
    {
        writer.WriteStartObject();
        WriteFields(writer, includeCause);
        writer.WriteEndObject();
    }

    private void WriteFields(Utf8JsonWriter writer, bool includeCause)
    {
        writer.WriteString("type", Type);
        writer.WriteString("reason", Reason);
        if (_metadata is not null)
        {
            foreach (var (key, value) in _metadata)
            {
                writer.WriteString(key, value);
            }
        }

        if (Headers is not null)
        {
            writer.WriteStartObject("header");
            foreach (var (name, values) in Headers)
            {
                writer.WriteStartArray(name);
                foreach (var value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        if (includeCause && CausedBy is not null)
        {
            writer.WritePropertyName("caused_by");
            CausedBy.WriteObject(writer);
        }
    }

    /// <summary>
    /// Writes the whole error response: <c>{"error":{"root_cause":[..],"type",..},"status":n}</c>. ES reports the
    /// outermost exception as the root cause unless it is a wrapper, so the root cause is this error without its cause.
    /// </summary>
    public void WriteResponse(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("error");
        WriteErrorBody(writer);
        writer.WriteNumber("status", Status);
        writer.WriteEndObject();
    }

    /// <summary>The object under "error": root_cause list, then this error with its cause.</summary>
    public void WriteErrorBody(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("root_cause");
        RootCause().WriteObject(writer, includeCause: false);
        writer.WriteEndArray();
        WriteFields(writer, includeCause: true);
        writer.WriteEndObject();
    }

    // search_phase_execution_exception wraps shard failures; its root cause is the shard failure's cause.
    private EsError RootCause() =>
        Type == "search_phase_execution_exception" && CausedBy is not null ? CausedBy : this;
}
