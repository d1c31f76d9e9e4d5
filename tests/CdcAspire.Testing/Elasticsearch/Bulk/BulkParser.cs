using System.Globalization;
using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Bulk;

/// <summary>
/// Parses a _bulk NDJSON body with <see cref="Utf8JsonReader"/>: an action/metadata line, then a source line for
/// index, create and update. Malformed lines fail the whole request, as in ES.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html
/// </summary>
internal static class BulkParser
{
    public static List<WriteRequest> Parse(ReadOnlySpan<byte> body, string? defaultIndex)
    {
        if (body.IsEmpty)
        {
            throw new EsException(new EsError(400, "parse_exception", "request body is required"));
        }

        if (body[^1] != (byte)'\n')
        {
            throw new EsException(EsErrors.IllegalArgument("The bulk request must be terminated by a newline [\\n]"));
        }

        var items = new List<WriteRequest>(Math.Max(4, body.Count((byte)'\n') / 2));
        var pos = 0;
        var line = 0;
        while (pos < body.Length)
        {
            var actionLine = NextLine(body, ref pos);
            line++;
            if (actionLine.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            var request = ParseAction(actionLine, line, defaultIndex);
            if (request.Op != WriteOp.Delete)
            {
                // An action without its source line at the very end is ignored by ES's parser.
                if (pos >= body.Length)
                {
                    break;
                }

                var source = NextLine(body, ref pos);
                line++;
                if (request.Op == WriteOp.Update)
                {
                    request.Update = UpdateParser.Parse(source, line);
                }
                else
                {
                    request.Source = source.ToArray();
                }
            }

            items.Add(request);
        }

        return items;
    }

    private static ReadOnlySpan<byte> NextLine(ReadOnlySpan<byte> body, ref int pos)
    {
        var length = body[pos..].IndexOf((byte)'\n');
        var slice = body.Slice(pos, length);
        pos += length + 1;
        return slice.Length > 0 && slice[^1] == (byte)'\r' ? slice[..^1] : slice;
    }

    private static WriteRequest ParseAction(ReadOnlySpan<byte> text, int line, string? defaultIndex)
    {
        var reader = new Utf8JsonReader(text);
        var request = new WriteRequest { Index = defaultIndex };
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, line, "START_OBJECT or END_OBJECT");
            Expect(ref reader, JsonTokenType.PropertyName, line, "FIELD_NAME");
            request.Op = reader.GetString() switch
            {
                "index" => WriteOp.Index,
                "create" => WriteOp.Create,
                "delete" => WriteOp.Delete,
                "update" => WriteOp.Update,
                var other => throw new EsException(EsErrors.IllegalArgument(
                    $"Malformed action/metadata line [{line}], expected field [create], [delete], [index] or [update] but found [{other}]")),
            };
            Expect(ref reader, JsonTokenType.StartObject, line, "START_OBJECT");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    if (key is not ("dynamic_templates" or "_source"))
                    {
                        throw Malformed(line, $"expected a simple value for field [{key}] but found [{ScalarChecks.TokenName(reader.TokenType)}]");
                    }

                    reader.Skip();
                    continue;
                }

                ApplyParameter(ref reader, request, key, line);
            }

            Expect(ref reader, JsonTokenType.EndObject, line, "END_OBJECT");
            return request;
        }
        catch (JsonException ex)
        {
            throw new EsException(EsErrors.XContentParse($"[{line}:{(ex.BytePositionInLine ?? 0) + 1}] {ex.Message}"));
        }
    }

    private static void ApplyParameter(ref Utf8JsonReader reader, WriteRequest request, string key, int line)
    {
        switch (key)
        {
            case "_index":
                request.Index = ScalarChecks.Text(ref reader);
                break;
            case "_id":
                request.Id = reader.TokenType == JsonTokenType.Null ? null : ScalarChecks.Text(ref reader);
                break;
            case "version":
                request.Version = Long(ref reader, line);
                break;
            case "version_type":
                (request.VersionType, request.VersionTypeName) = ParseVersionType(ScalarChecks.Text(ref reader));
                break;
            case "if_seq_no":
                request.IfSeqNo = Long(ref reader, line);
                break;
            case "if_primary_term":
                request.IfPrimaryTerm = Long(ref reader, line);
                break;
            case "require_alias":
                request.RequireAlias = reader.TokenType == JsonTokenType.True || ScalarChecks.Text(ref reader) == "true";
                break;

            // Accepted and irrelevant on a single-shard, pipeline-less node.
            case "routing" or "retry_on_conflict" or "pipeline" or "require_data_stream" or "list_executed_pipelines":
                break;
            default:
                throw new EsException(EsErrors.IllegalArgument($"Action/metadata line [{line}] contains an unknown parameter [{key}]"));
        }
    }

    /// <summary>https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html#index-version-types</summary>
    public static (VersionType Type, string Name) ParseVersionType(string text) => text switch
    {
        "internal" => (VersionType.Internal, "INTERNAL"),
        "external" or "external_gt" => (VersionType.External, "EXTERNAL"),
        "external_gte" => (VersionType.ExternalGte, "EXTERNAL_GTE"),
        _ => throw new EsException(EsErrors.IllegalArgument($"No version type match [{text}]")),
    };

    private static long Long(ref Utf8JsonReader reader, int line)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        var text = ScalarChecks.Text(ref reader);
        if (reader.TokenType == JsonTokenType.String && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return value;
        }

        // Values beyond a Java long (about 9.2e18) fail to parse.
        throw new EsException(EsErrors.XContentParse(
            $"[{line}:{reader.TokenStartIndex + 1}] Numeric value ({text}) out of range of long (-9223372036854775808 - 9223372036854775807)"));
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, int line, string expectedName)
    {
        if (!reader.Read() || reader.TokenType != expected)
        {
            var found = reader.TokenType == JsonTokenType.None ? "null" : ScalarChecks.TokenName(reader.TokenType);
            throw Malformed(line, $"expected {expectedName} but found [{found}]");
        }
    }

    private static EsException Malformed(int line, string detail) =>
        new(EsErrors.IllegalArgument($"Malformed action/metadata line [{line}], {detail}"));
}
