using CdcAspire.Testing.Elasticsearch.Cluster;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>A field name in a query, resolved once per index it is evaluated on.</summary>
internal sealed class FieldRef
{
    private readonly Dictionary<EsIndex, ResolvedField?> _resolved = [];

    public FieldRef(string name) => Name = name;

    public string Name { get; }

    public ResolvedField? Resolve(EsIndex index)
    {
        if (!_resolved.TryGetValue(index, out var field))
        {
            field = ResolvedField.Resolve(index.Mapping, Name);
            _resolved[index] = field;
        }

        return field;
    }
}
