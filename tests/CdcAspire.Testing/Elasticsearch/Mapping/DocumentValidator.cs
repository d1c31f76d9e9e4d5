using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>
/// Checks a document's _source against the index mapping the way ES's document parser does, collecting the fields
/// dynamic mapping would add. Not thread-safe: used under the owning index's lock.
/// Dynamic mapping: https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic-field-mapping.html
/// Strict objects: https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic.html
/// </summary>
internal sealed class DocumentValidator
{
    private readonly IndexMapping _mapping;
    private readonly List<PendingField> _pending = [];
    private string _id = "";

    public DocumentValidator(IndexMapping mapping) => _mapping = mapping;

    /// <summary>Validates one document; on success <see cref="Commit"/> attaches its new fields.</summary>
    public EsError? Validate(ReadOnlySpan<byte> source, string id)
    {
        _pending.Clear();
        _id = id;
        var reader = new Utf8JsonReader(source);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new EsError(400, "document_parsing_exception",
                    $"[1:{reader.TokenStartIndex + 1}] failed to parse: Malformed content, must start with an object");
            }

            var error = ParseObject(ref reader, _mapping.Root, "", _mapping.Root.Dynamic ?? DynamicMode.True);
            if (error is null && reader.Read())
            {
                return new EsError(400, "document_parsing_exception",
                    $"[1:{reader.TokenStartIndex + 1}] failed to parse: Unexpected content after the end of the document");
            }

            return error;
        }
        catch (JsonException ex)
        {
            var reason = $"[1:{(ex.BytePositionInLine ?? 0) + 1}] failed to parse: {ex.Message}";
            return new EsError(400, "document_parsing_exception", reason, EsErrors.XContentParse(ex.Message));
        }
    }

    /// <summary>Attaches the fields found by the last successful <see cref="Validate"/>.</summary>
    public void Commit()
    {
        foreach (var (parent, name, field) in _pending)
        {
            (parent.Properties ??= new(StringComparer.Ordinal))[name] = field;
        }

        _pending.Clear();
    }

    private EsError? ParseObject(ref Utf8JsonReader reader, FieldMapping mapping, string path, DynamicMode inherited)
    {
        var mode = mapping.Dynamic ?? inherited;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            var error = name.Contains('.', StringComparison.Ordinal)
                ? ParseDottedField(ref reader, mapping, path, mode, name)
                : ParseField(ref reader, mapping, path, mode, name);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    // "a.b": 1 is indexed as {"a":{"b":1}}: walk or create the intermediate objects.
    // https://www.elastic.co/guide/en/elasticsearch/reference/current/subobjects.html
    private EsError? ParseDottedField(ref Utf8JsonReader reader, FieldMapping mapping, string path, DynamicMode mode, string dotted)
    {
        var parts = dotted.Split('.');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var child = Lookup(mapping, parts[i]);
            if (child is null)
            {
                if (mode == DynamicMode.Strict)
                {
                    return StrictError(ref reader, parts[i], path);
                }

                if (mode != DynamicMode.True)
                {
                    reader.Skip();
                    return null;
                }

                child = FieldMapping.NewObject();
                _pending.Add(new PendingField(mapping, parts[i], child));
            }
            else if (!child.IsObject)
            {
                return new EsError(400, "document_parsing_exception",
                    $"[1:{reader.TokenStartIndex + 1}] Could not dynamically add mapping for field [{dotted}]. Existing mapping for [{Join(path, parts[i])}] must be of type object but found [{child.Type}].");
            }

            path = Join(path, parts[i]);
            mode = child.Dynamic ?? mode;
            mapping = child;
        }

        return ParseField(ref reader, mapping, path, mode, parts[^1]);
    }

    private EsError? ParseField(ref Utf8JsonReader reader, FieldMapping parent, string parentPath, DynamicMode mode, string name)
    {
        var field = Lookup(parent, name);
        if (field is not null)
        {
            return ParseValue(ref reader, field, Join(parentPath, name), name, mode);
        }

        // Null values never add mappings, but strict objects still reject the unknown field name.
        switch (mode)
        {
            case DynamicMode.Strict:
                return StrictError(ref reader, name, parentPath);
            case DynamicMode.False or DynamicMode.Runtime:
                reader.Skip();
                return null;
        }

        var inferred = Infer(ref reader);
        if (inferred is null)
        {
            reader.Skip();
            return null;
        }

        _pending.Add(new PendingField(parent, name, inferred));
        return ParseValue(ref reader, inferred, Join(parentPath, name), name, mode);
    }

    private EsError? ParseValue(ref Utf8JsonReader reader, FieldMapping field, string path, string name, DynamicMode mode)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var error = ParseValue(ref reader, field, path, name, mode);
                    if (error is not null)
                    {
                        return error;
                    }
                }

                return null;
            case JsonTokenType.StartObject when field.IsObject:
                if (!field.Enabled)
                {
                    reader.Skip();
                    return null;
                }

                return ParseObject(ref reader, field, path, mode);
            case JsonTokenType.StartObject:
                if (field.Type is "completion" or "flattened" or "geo_point" or "geo_shape" or "shape" or "point"
                    or "dense_vector" or "sparse_vector" or "rank_features" or "histogram" or "percolator" or "semantic_text"
                    || field.Type.EndsWith("_range", StringComparison.Ordinal))
                {
                    reader.Skip();
                    return null;
                }

                var column = reader.TokenStartIndex + 1;
                var cause = new EsError(500, "illegal_state_exception", $"Can't get text on a START_OBJECT at 1:{column}");
                reader.Skip();
                return FieldError(path, field.Type, "{...}", column, cause);
            default:
                if (field.IsObject)
                {
                    return new EsError(400, "document_parsing_exception",
                        $"[1:{reader.TokenStartIndex + 1}] object mapping for [{path}] tried to parse field [{name}] as object, but found a concrete value");
                }

                return CheckScalar(ref reader, field, path);
        }
    }

    private EsError? CheckScalar(ref Utf8JsonReader reader, FieldMapping field, string path)
    {
        var cause = ScalarChecks.Check(ref reader, field);
        if (cause is not null)
        {
            return FieldError(path, field.Type, ScalarChecks.Text(ref reader), reader.TokenStartIndex + 1, cause);
        }

        if (field.Fields is not null)
        {
            foreach (var (subName, sub) in field.Fields)
            {
                cause = ScalarChecks.Check(ref reader, sub);
                if (cause is not null)
                {
                    return FieldError(path + "." + subName, sub.Type, ScalarChecks.Text(ref reader), reader.TokenStartIndex + 1, cause);
                }
            }
        }

        return null;
    }

    // The types dynamic mapping infers from JSON values.
    // https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic-field-mapping.html
    private FieldMapping? Infer(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return FieldMapping.NewObject();
            case JsonTokenType.StartArray:
                // The first non-null element decides; an empty or all-null array adds nothing.
                var copy = reader;
                while (copy.Read() && copy.TokenType != JsonTokenType.EndArray)
                {
                    if (copy.TokenType != JsonTokenType.Null)
                    {
                        return Infer(ref copy);
                    }
                }

                return null;
            case JsonTokenType.String:
                var text = reader.GetString()!;
                if (_mapping.DateDetection && IsoDateParser.TryParse(text, strict: true, minimumParts: 3, out _))
                {
                    return new FieldMapping("date") { DateFormat = EsDateFormat.Default };
                }

                var keyword = new FieldMapping("keyword") { IgnoreAbove = 256, Parameters = new() { ["ignore_above"] = 256 } };
                return new FieldMapping("text") { Fields = new(StringComparer.Ordinal) { ["keyword"] = keyword } };
            case JsonTokenType.Number:
                var span = reader.ValueSpan;
                return new FieldMapping(span.IndexOfAny("."u8) >= 0 || span.IndexOfAny("eE"u8) >= 0 ? "float" : "long");
            case JsonTokenType.True or JsonTokenType.False:
                return new FieldMapping("boolean");
            default:
                return null;
        }
    }

    private FieldMapping? Lookup(FieldMapping parent, string name)
    {
        var field = parent.Child(name);
        if (field is not null)
        {
            return field;
        }

        foreach (var pending in _pending)
        {
            if (ReferenceEquals(pending.Parent, parent) && pending.Name == name)
            {
                return pending.Field;
            }
        }

        return null;
    }

    private static EsError StrictError(ref Utf8JsonReader reader, string name, string parentPath) =>
        new(400, "strict_dynamic_mapping_exception",
            $"[1:{reader.TokenStartIndex + 1}] mapping set to strict, dynamic introduction of [{name}] within [{(parentPath.Length == 0 ? "_doc" : parentPath)}] is not allowed");

    private EsError FieldError(string path, string type, string preview, long column, EsError cause) =>
        new(400, "document_parsing_exception",
            $"[1:{column}] failed to parse field [{path}] of type [{type}] in document with id '{_id}'. Preview of field's value: '{preview}'",
            cause);

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
