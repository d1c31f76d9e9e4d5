using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Cluster;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>One document during query evaluation; its _source is parsed only if a query reads a field.</summary>
internal sealed class DocView : IDisposable
{
    private JsonDocument? _document;

    public DocView(EsIndex index, string id, DocEntry entry)
    {
        Index = index;
        Id = id;
        Entry = entry;
    }

    public EsIndex Index { get; }

    public string Id { get; }

    public DocEntry Entry { get; }

    /// <summary>
    /// Collects the non-null values at a field's _source path; arrays flatten and dotted keys ("a.b": 1) count as
    /// paths, the way ES indexes them. https://www.elastic.co/guide/en/elasticsearch/reference/current/array.html
    /// </summary>
    public void Values(ResolvedField field, List<JsonElement> into)
    {
        into.Clear();
        _document ??= JsonDocument.Parse(Entry.Source);
        Collect(_document.RootElement, field.SourceParts, 0, into);
    }

    public void Dispose() => _document?.Dispose();

    private static void Collect(JsonElement node, string[] parts, int i, List<JsonElement> into)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in node.EnumerateArray())
            {
                Collect(element, parts, i, into);
            }

            return;
        }

        if (i == parts.Length)
        {
            if (node.ValueKind != JsonValueKind.Null)
            {
                into.Add(node);
            }

            return;
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var key = parts[i];
        for (var j = i; j < parts.Length; j++)
        {
            if (j > i)
            {
                key += "." + parts[j];
            }

            if (node.TryGetProperty(key, out var child))
            {
                Collect(child, parts, j + 1, into);
            }
        }
    }
}
