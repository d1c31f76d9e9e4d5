using System.Text.Json;
using System.Text.Json.Nodes;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>
/// Builds an <see cref="IndexMapping"/> from the "mappings" JSON of a create-index request or template.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/explicit-mapping.html
/// </summary>
internal static class MappingParser
{
    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal)
    {
        "object", "nested", "flattened", "text", "match_only_text", "keyword", "constant_keyword", "wildcard",
        "long", "integer", "short", "byte", "unsigned_long", "double", "float", "half_float", "scaled_float",
        "boolean", "date", "date_nanos", "binary", "completion", "ip", "geo_point", "geo_shape", "point", "shape",
        "search_as_you_type", "token_count", "alias", "dense_vector", "sparse_vector", "rank_feature",
        "rank_features", "version", "percolator", "integer_range", "long_range", "float_range", "double_range",
        "date_range", "ip_range", "histogram", "semantic_text",
    };

    // Root-level parameters ES accepts besides properties and dynamic.
    private static readonly HashSet<string> RootParameterNames = new(StringComparer.Ordinal)
    {
        "_source", "_meta", "_routing", "_field_names", "_data_stream_timestamp", "dynamic_templates",
        "date_detection", "dynamic_date_formats", "numeric_detection", "runtime", "subobjects", "enabled",
    };

    public static IndexMapping Parse(JsonObject? mappings)
    {
        if (mappings is null || mappings.Count == 0)
        {
            return IndexMapping.Empty();
        }

        try
        {
            var root = FieldMapping.NewObject(ParseDynamic(mappings["dynamic"], "_doc"));
            JsonObject? rootParameters = null;
            var dateDetection = true;
            foreach (var (key, value) in mappings)
            {
                switch (key)
                {
                    case "properties":
                        ParseProperties(value as JsonObject, root.Properties!);
                        break;
                    case "dynamic":
                        break;
                    case "date_detection":
                        dateDetection = value?.GetValueKind() != JsonValueKind.False;
                        (rootParameters ??= []).Add(key, value?.DeepClone());
                        break;
                    default:
                        if (!RootParameterNames.Contains(key))
                        {
                            throw Failure($"Root mapping definition has unsupported parameters:  [{key} : {value?.ToJsonString()}]");
                        }

                        (rootParameters ??= []).Add(key, value?.DeepClone());
                        break;
                }
            }

            return new IndexMapping(root, dateDetection, rootParameters);
        }
        catch (EsException ex) when (ex.Error.Type == "mapper_parsing_exception")
        {
            // Index creation wraps mapping errors: "Failed to parse mapping: <cause>".
            throw new EsException(new EsError(400, "mapper_parsing_exception", "Failed to parse mapping: " + ex.Error.Reason, ex.Error));
        }
    }

    private static void ParseProperties(JsonObject? properties, Dictionary<string, FieldMapping> into)
    {
        if (properties is null)
        {
            return;
        }

        foreach (var (name, value) in properties)
        {
            if (value is not JsonObject definition)
            {
                throw Failure($"Expected map for property [fields] on field [{name}] but got a class java.lang.String");
            }

            into[name] = ParseField(name, definition);
        }
    }

    private static FieldMapping ParseField(string name, JsonObject definition)
    {
        var type = definition["type"]?.GetValue<string>() ?? "object";
        if (!KnownTypes.Contains(type))
        {
            throw Failure($"No handler for type [{type}] declared on field [{name}]");
        }

        JsonObject? parameters = null;
        foreach (var (key, value) in definition)
        {
            if (key is not ("type" or "properties" or "fields" or "dynamic"))
            {
                (parameters ??= []).Add(key, value?.DeepClone());
            }
        }

        var format = definition["format"]?.GetValue<string>();
        var field = new FieldMapping(type)
        {
            Dynamic = ParseDynamic(definition["dynamic"], name),
            Enabled = definition["enabled"]?.GetValueKind() != JsonValueKind.False,
            DateFormat = type is "date" or "date_nanos" ? (format is null ? EsDateFormat.Default : EsDateFormat.Parse(format)) : null,
            IgnoreAbove = definition["ignore_above"] is JsonValue ignore ? (int)ignore.GetValue<double>() : null,
            Parameters = parameters,
        };

        if (field.IsObject)
        {
            field.Properties = new(StringComparer.Ordinal);
            ParseProperties(definition["properties"] as JsonObject, field.Properties);
        }

        if (definition["fields"] is JsonObject multiFields)
        {
            field.Fields = new(StringComparer.Ordinal);
            ParseProperties(multiFields, field.Fields);
        }

        return field;
    }

    private static DynamicMode? ParseDynamic(JsonNode? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.GetValueKind() switch
        {
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.String => value.GetValue<string>(),
            _ => "",
        };
        return text switch
        {
            "true" => DynamicMode.True,
            "false" => DynamicMode.False,
            "strict" => DynamicMode.Strict,
            "runtime" => DynamicMode.Runtime,
            _ => throw Failure($"Could not convert [{field}.dynamic] to boolean"),
        };
    }

    private static EsException Failure(string reason) => new(new EsError(400, "mapper_parsing_exception", reason));
}
