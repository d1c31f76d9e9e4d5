using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// One sort criterion: a keyword, numeric, date or boolean field, _doc (index order) or _score. Missing values sort
/// last by default; multi-valued fields use their minimum ascending and maximum descending.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/sort-search-results.html
/// </summary>
internal sealed class SortField
{
    private readonly FieldRef? _field;
    private readonly List<JsonElement> _scratch = [];
    private FieldKind? _kind;

    public SortField(string name, bool descending, bool missingFirst, string? unmappedType)
    {
        Name = name;
        Descending = descending;
        MissingFirst = missingFirst;
        UnmappedType = unmappedType;
        _field = name is "_doc" or "_score" ? null : new FieldRef(name);
    }

    public string Name { get; }

    public bool Descending { get; }

    public bool MissingFirst { get; }

    public string? UnmappedType { get; }

    /// <summary>Fails like ES for fields it cannot sort on (checked per target index).</summary>
    public void Check(IReadOnlyList<EsIndex> indices)
    {
        if (_field is null)
        {
            return;
        }

        // https://www.elastic.co/guide/en/elasticsearch/reference/current/mapping-id-field.html
        if (Name == "_id")
        {
            throw new EsException(EsErrors.SearchPhase(EsErrors.IllegalArgument(
                "Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled")));
        }

        var mapped = false;
        foreach (var index in indices)
        {
            if (_field.Resolve(index) is not { } field)
            {
                continue;
            }

            mapped = true;
            _kind ??= field.Kind;

            // https://www.elastic.co/guide/en/elasticsearch/reference/current/text.html#fielddata-mapping-param
            if (field.Kind == FieldKind.Text || field.Mapping.IsObject)
            {
                throw new EsException(EsErrors.SearchPhase(EsErrors.IllegalArgument(
                    $"Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [{Name}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.")));
            }
        }

        if (!mapped && UnmappedType is null && indices.Count > 0)
        {
            throw new EsException(EsErrors.SearchPhase(new EsError(400, "query_shard_exception", $"No mapping found for [{Name}] in order to sort on")));
        }
    }

    public SortValue Extract(DocView doc, DateTimeOffset now)
    {
        if (_field is null)
        {
            return Name == "_doc" ? SortValue.OfLong(doc.Entry.SeqNo) : SortValue.OfDouble(1.0);
        }

        if (_field.Resolve(doc.Index) is not { } field)
        {
            return SortValue.Missing;
        }

        SortValue? best = null;
        foreach (var key in doc.Entry.DocValues(field.DocValuesKey, (Doc: doc, Field: field, Now: now, Scratch: _scratch), static s =>
        {
            s.Doc.Values(s.Field, s.Scratch);
            return [.. s.Scratch.Select(v => Key(s.Field, v, s.Now))];
        }))
        {
            if (key.Kind != SortValueKind.Missing && (best is null || (Descending ? key.CompareNatural(best.Value) > 0 : key.CompareNatural(best.Value) < 0)))
            {
                best = key;
            }
        }

        return best ?? SortValue.Missing;
    }

    /// <summary>Parses a search_after value for this criterion.</summary>
    public SortValue Parse(JsonElement value, DateTimeOffset now) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var l) => SortValue.OfLong(l),
        JsonValueKind.Number => SortValue.OfDouble(value.GetDouble()),
        JsonValueKind.String when long.TryParse(value.GetString(), out var l) && Name != "_score" && !IsKeyword() => SortValue.OfLong(l),
        JsonValueKind.String when IsDate() && EsDateFormat.Default.TryParse(value.GetString()!, out var millis) => SortValue.OfLong(millis),
        JsonValueKind.String => SortValue.OfString(value.GetString()!),
        JsonValueKind.True => SortValue.OfLong(1),
        JsonValueKind.False => SortValue.OfLong(0),
        _ => SortValue.Missing,
    };

    /// <summary>Compares in result order: direction applied, missing values first or last.</summary>
    public int Compare(SortValue a, SortValue b)
    {
        if (a.Kind == SortValueKind.Missing || b.Kind == SortValueKind.Missing)
        {
            if (a.Kind == b.Kind)
            {
                return 0;
            }

            return (a.Kind == SortValueKind.Missing) == MissingFirst ? -1 : 1;
        }

        var c = a.CompareNatural(b);
        return Descending ? -c : c;
    }

    private bool IsKeyword() => _kind == FieldKind.Keyword;

    private bool IsDate() => _kind == FieldKind.Date;

    private static SortValue Key(ResolvedField field, JsonElement value, DateTimeOffset now)
    {
        switch (field.Kind)
        {
            case FieldKind.Long:
                return FieldValues.TryDouble(value, out var l) ? SortValue.OfLong((long)Math.Truncate(l)) : SortValue.Missing;
            case FieldKind.Double:
                return FieldValues.TryDouble(value, out var d) ? SortValue.OfDouble(d) : SortValue.Missing;
            case FieldKind.Date:
                return FieldValues.TryDate(value, field.Mapping.DateFormat ?? EsDateFormat.Default, now, out var millis)
                    ? SortValue.OfLong(millis) : SortValue.Missing;
            case FieldKind.Boolean:
                return FieldValues.TryBool(value, out var b) ? SortValue.OfLong(b ? 1 : 0) : SortValue.Missing;
            default:
                var text = FieldValues.AsString(value);
                return text is null || (field.Mapping.IgnoreAbove is { } limit && text.Length > limit) ? SortValue.Missing : SortValue.OfString(text);
        }
    }
}
