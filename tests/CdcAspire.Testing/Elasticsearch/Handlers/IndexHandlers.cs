using System.Text.Json;
using System.Text.Json.Nodes;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Handlers;

/// <summary>Index APIs: create, exists, get, delete, mapping, settings, refresh.</summary>
internal sealed class IndexHandlers
{
    private readonly ClusterState _cluster;

    public IndexHandlers(ClusterState cluster) => _cluster = cluster;

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-create-index.html
    public EsResponse Create(EsRequest request, string name)
    {
        JsonObject? body = null;
        if (request.HasBody)
        {
            body = JsonNode.Parse(request.Body) as JsonObject;
            foreach (var key in body?.Select(p => p.Key) ?? [])
            {
                if (key is not ("settings" or "mappings" or "aliases"))
                {
                    throw new EsException(new EsError(400, "parse_exception", $"unknown key [{key}] for create index"));
                }
            }
        }

        var index = _cluster.CreateIndex(name, body, explicitCreate: true);
        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("acknowledged", true);
            w.WriteBoolean("shards_acknowledged", true);
            w.WriteString("index", index.Name);
            w.WriteEndObject();
        });
    }

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-exists.html
    public EsResponse Exists(string target)
    {
        try
        {
            return EsResponse.Empty(_cluster.ResolveRead(target).Count > 0 ? 200 : 404);
        }
        catch (EsException)
        {
            return EsResponse.Empty(404);
        }
    }

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-delete-index.html
    public EsResponse Delete(string target)
    {
        // action.destructive_requires_name defaults to true in 8.x.
        if (target.Split(',').Any(p => IndexPattern.IsWildcard(p) || p == "_all"))
        {
            throw new EsException(EsErrors.IllegalArgument("Wildcard expressions or all indices are not allowed"));
        }

        var indices = target.Split(',').Select(n => _cluster.Index(n) ?? throw new EsException(EsErrors.IndexNotFound(n))).ToList();
        indices.ForEach(_cluster.DeleteIndex);
        return EsResponse.Acknowledged();
    }

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-index.html
    public EsResponse Get(string target) => PerIndex(target, (w, index) =>
    {
        w.WritePropertyName("aliases");
        AliasHandlers.WriteAliases(w, index, null);
        w.WritePropertyName("mappings");
        WriteMapping(w, index);
        w.WritePropertyName("settings");
        IndexSettings.WriteNested(w, index.Settings.Values);
    });

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-mapping.html
    public EsResponse GetMapping(string? target) => PerIndex(target, (w, index) =>
    {
        w.WritePropertyName("mappings");
        WriteMapping(w, index);
    });

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-put-mapping.html
    // Only what "fix the mapping, then replay" needs: new top-level fields are added to an existing mapping (also a
    // strict one); an existing field cannot change its type ("mapper [f] cannot be changed from type [a] to [b]").
    public EsResponse PutMapping(EsRequest request, string target)
    {
        var body = request.HasBody ? JsonNode.Parse(request.Body) as JsonObject : null;
        if (body?["properties"] is not JsonObject)
        {
            throw new EsException(new EsError(400, "action_request_validation_exception", "Validation Failed: 1: mapping source is empty;"));
        }

        var added = MappingParser.Parse(new JsonObject { ["properties"] = body["properties"]!.DeepClone() }).Root.Properties!;
        foreach (var index in _cluster.ResolveRead(target))
        {
            lock (index.Gate)
            {
                var properties = index.Mapping.Root.Properties!;
                foreach (var (name, field) in added)
                {
                    if (properties.TryGetValue(name, out var existing) && existing.Type != field.Type)
                    {
                        throw new EsException(new EsError(400, "illegal_argument_exception",
                            $"mapper [{name}] cannot be changed from type [{existing.Type}] to [{field.Type}]"));
                    }
                }

                foreach (var (name, field) in added)
                {
                    properties.TryAdd(name, field);
                }
            }
        }

        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("acknowledged", true);
            w.WriteEndObject();
        });
    }

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-settings.html
    public EsResponse GetSettings(string? target) => PerIndex(target, (w, index) =>
    {
        w.WritePropertyName("settings");
        IndexSettings.WriteNested(w, index.Settings.Values);
    });

    /// <summary>
    /// PUT /{index}/_block/write: adds the write block (the only block this server knows).
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules-blocks.html#add-index-block
    /// </summary>
    public EsResponse AddBlock(string target, string block)
    {
        if (block != "write")
        {
            throw new EsException(EsErrors.NotSupported($"The [{block}] block"));
        }

        var indices = _cluster.ResolveRead(target, "index_expression");
        foreach (var index in indices)
        {
            lock (index.Gate)
            {
                index.WriteBlocked = true;
            }
        }

        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("acknowledged", true);
            w.WriteBoolean("shards_acknowledged", true);
            w.WriteStartArray("indices");
            foreach (var index in indices)
            {
                w.WriteStartObject();
                w.WriteString("name", index.Name);
                w.WriteBoolean("blocked", true);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    // https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-refresh.html
    public EsResponse Refresh(string? target)
    {
        var indices = _cluster.ResolveRead(target);
        foreach (var index in indices)
        {
            lock (index.Gate)
            {
                index.Refresh();
            }
        }

        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("_shards");
            w.WriteNumber("total", indices.Sum(i => 1 + i.Settings.Replicas));
            w.WriteNumber("successful", indices.Count);
            w.WriteNumber("failed", 0);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private EsResponse PerIndex(string? target, Action<Utf8JsonWriter, EsIndex> write)
    {
        var indices = _cluster.ResolveRead(target);
        return EsResponse.Json(200, w =>
        {
            w.WriteStartObject();
            foreach (var index in indices)
            {
                w.WriteStartObject(index.Name);
                write(w, index);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    private static void WriteMapping(Utf8JsonWriter w, EsIndex index)
    {
        lock (index.Gate)
        {
            MappingWriter.Write(w, index.Mapping);
        }
    }
}
