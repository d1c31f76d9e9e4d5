using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// The composable index templates of the cluster.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/index-templates.html
/// </summary>
internal sealed class TemplateRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, IndexTemplate> _templates = new(StringComparer.Ordinal);

    /// <summary>The highest-priority template matching a new index's name, if any.</summary>
    public IndexTemplate? BestMatch(string indexName)
    {
        lock (_gate)
        {
            return _templates.Values.Where(t => t.Matches(indexName)).MaxBy(t => t.Priority);
        }
    }

    public void Put(IndexTemplate template, bool create)
    {
        lock (_gate)
        {
            if (create && _templates.ContainsKey(template.Name))
            {
                throw new EsException(EsErrors.IllegalArgument($"index template [{template.Name}] already exists"));
            }

            // Two templates with the same priority may not match the same index.
            // https://www.elastic.co/guide/en/elasticsearch/reference/current/index-templates.html
            foreach (var other in _templates.Values)
            {
                if (other.Name != template.Name && other.Priority == template.Priority
                    && template.IndexPatterns.Any(p => other.IndexPatterns.Any(o => IndexPattern.Overlaps(p, o))))
                {
                    throw new EsException(EsErrors.IllegalArgument(
                        $"index template [{template.Name}] has index patterns [{string.Join(", ", template.IndexPatterns)}] matching patterns from existing templates [{other.Name}] with patterns ({other.Name} => [{string.Join(", ", other.IndexPatterns)}]) that have the same priority [{template.Priority}], multiple index templates may not match during index creation, please use a different priority"));
                }
            }

            _templates[template.Name] = template;
        }
    }

    public List<IndexTemplate> Find(string? namePattern)
    {
        lock (_gate)
        {
            return _templates.Values
                .Where(t => namePattern is null || namePattern.Split(',').Any(p => IndexPattern.Matches(p, t.Name)))
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    public bool Delete(string name)
    {
        lock (_gate)
        {
            return _templates.Remove(name);
        }
    }
}
