using System.Text.Json;
using System.Text.Json.Nodes;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Handlers;

/// <summary>
/// POST /_aliases, GET /_alias[/{name}], GET /{index}/_alias[/{name}].
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-aliases.html
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-alias.html
/// </summary>
internal sealed class AliasHandlers
{
    private readonly ClusterState _cluster;

    public AliasHandlers(ClusterState cluster) => _cluster = cluster;

    public EsResponse Update(EsRequest request)
    {
        var body = (request.HasBody ? JsonNode.Parse(request.Body) as JsonObject : null)
            ?? throw new EsException(new EsError(400, "parse_exception", "request body is required"));
        var actions = new List<AliasAction>();
        foreach (var element in body["actions"] as JsonArray ?? [])
        {
            foreach (var (kind, value) in element as JsonObject ?? [])
            {
                if (kind is not ("add" or "remove" or "remove_index"))
                {
                    throw new EsException(EsErrors.XContentParse($"[1:2] [alias_action] unknown field [{kind}]"));
                }

                var spec = value as JsonObject ?? [];
                var indices = Names(spec, "index", "indices");
                var aliases = kind == "remove_index" ? [] : Names(spec, "alias", "aliases");
                if (indices.Count == 0 || (kind != "remove_index" && aliases.Count == 0))
                {
                    throw new EsException(EsErrors.Validation([indices.Count == 0 ? "One of [index] or [indices] is required" : "One of [alias] or [aliases] is required"]));
                }

                var metadata = AliasActionsApplier.ParseAliasDefinition(spec);
                actions.Add(new AliasAction(kind, indices, aliases, metadata.IsWriteIndex));
            }
        }

        if (actions.Count == 0)
        {
            throw new EsException(EsErrors.Validation(["No action specified"]));
        }

        _cluster.ApplyAliasActions(actions);
        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("acknowledged", true);
            w.WriteBoolean("errors", false);
            w.WriteEndObject();
        });
    }

    public EsResponse Get(EsRequest request, string? indexTarget, string? aliasName)
    {
        var indices = _cluster.ResolveRead(indexTarget);
        var patterns = aliasName?.Split(',');
        var selected = indices
            .Where(i => patterns is null || i.Aliases.Keys.Any(a => patterns.Any(p => IndexPattern.Matches(p, a))))
            .ToList();
        if (patterns is not null && selected.Count == 0)
        {
            if (request.IsHead)
            {
                return EsResponse.Empty(404);
            }

            // ES answers a missing alias with this short body, not the usual error object.
            return EsResponse.Json(404, w =>
            {
                w.WriteStartObject();
                w.WriteString("error", $"alias [{aliasName}] missing");
                w.WriteNumber("status", 404);
                w.WriteEndObject();
            });
        }

        if (request.IsHead)
        {
            return EsResponse.Empty(200);
        }

        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            foreach (var index in selected)
            {
                w.WriteStartObject(index.Name);
                w.WritePropertyName("aliases");
                WriteAliases(w, index, patterns);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    public static void WriteAliases(Utf8JsonWriter w, EsIndex index, string[]? patterns)
    {
        w.WriteStartObject();
        foreach (var (name, alias) in index.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (patterns is not null && !patterns.Any(p => IndexPattern.Matches(p, name)))
            {
                continue;
            }

            w.WriteStartObject(name);
            if (alias.IsWriteIndex is { } isWrite)
            {
                w.WriteBoolean("is_write_index", isWrite);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static List<string> Names(JsonObject spec, string single, string plural) =>
        spec[single] is JsonValue one ? [one.GetValue<string>()]
        : spec[plural] is JsonArray many ? many.Select(n => n!.GetValue<string>()).ToList()
        : [];
}
