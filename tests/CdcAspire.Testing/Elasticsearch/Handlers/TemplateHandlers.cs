using System.Text.Json;
using System.Text.Json.Nodes;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Handlers;

/// <summary>
/// Composable index templates: PUT/GET/HEAD/DELETE /_index_template/{name}.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-put-template.html
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-template.html
/// </summary>
internal sealed class TemplateHandlers
{
    private static readonly HashSet<string> TopLevel = new(StringComparer.Ordinal)
    {
        "index_patterns", "template", "composed_of", "priority", "version", "_meta", "allow_auto_create",
        "data_stream", "deprecated", "ignore_missing_component_templates",
    };

    private readonly ClusterState _cluster;

    public TemplateHandlers(ClusterState cluster) => _cluster = cluster;

    public EsResponse Put(EsRequest request, string name)
    {
        var body = (request.HasBody ? JsonNode.Parse(request.Body) as JsonObject : null)
            ?? throw new EsException(new EsError(400, "parse_exception", "request body is required"));
        foreach (var (key, _) in body)
        {
            if (!TopLevel.Contains(key))
            {
                throw new EsException(EsErrors.XContentParse($"[1:2] [index_template] unknown field [{key}]"));
            }
        }

        var patterns = body["index_patterns"] switch
        {
            JsonArray array => array.Select(p => p!.GetValue<string>()).ToList(),
            JsonValue single => [single.GetValue<string>()],
            _ => throw new EsException(EsErrors.Validation(["index patterns are missing"])),
        };
        if (body["data_stream"] is not null)
        {
            throw new EsException(EsErrors.NotSupported("A data stream template"));
        }

        if (body["composed_of"] is JsonArray { Count: > 0 } components)
        {
            // No component templates exist on this server.
            throw new EsException(new EsError(400, "invalid_index_template_exception",
                $"index_template [{name}] invalid, cause [index template [{name}] specifies component templates [{string.Join(", ", components)}] that do not exist]"));
        }

        var template = body["template"] as JsonObject;
        var mappings = template?["mappings"] as JsonObject;
        var settings = template?["settings"] as JsonObject;

        // Fail at PUT time on mappings or settings that could never create an index.
        MappingParser.Parse(mappings);
        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        IndexSettings.Flatten(settings, flat);
        IndexSettings.Create(flat, "validation", "_na_", DateTimeOffset.UnixEpoch);

        var priority = body["priority"] is JsonValue p ? p.GetValue<long>() : 0;
        var stored = (JsonObject)body.DeepClone();
        stored["composed_of"] ??= new JsonArray();
        _cluster.Templates.Put(
            new IndexTemplate(name, patterns, priority, settings, mappings, template?["aliases"] as JsonObject, stored),
            create: request.QueryFlag("create"));
        return EsResponse.Acknowledged();
    }

    public EsResponse Get(EsRequest request, string? name)
    {
        var templates = _cluster.Templates.Find(name);
        if (name is not null && !IndexPattern.IsWildcard(name) && templates.Count == 0)
        {
            return request.IsHead ? EsResponse.Empty(404) : EsResponse.Error(EsErrors.ResourceNotFound($"index template matching [{name}] not found"));
        }

        if (request.IsHead)
        {
            return EsResponse.Empty(200);
        }

        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("index_templates");
            foreach (var template in templates)
            {
                w.WriteStartObject();
                w.WriteString("name", template.Name);
                w.WritePropertyName("index_template");
                template.Body.WriteTo(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public EsResponse Delete(string name) =>
        _cluster.Templates.Delete(name)
            ? EsResponse.Acknowledged()
            : EsResponse.Error(EsErrors.ResourceNotFound($"index_template [{name}] missing"));
}
