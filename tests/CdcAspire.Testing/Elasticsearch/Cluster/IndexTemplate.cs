using System.Text.Json.Nodes;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// A composable index template.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/index-templates.html
/// </summary>
internal sealed record IndexTemplate(
    string Name,
    IReadOnlyList<string> IndexPatterns,
    long Priority,
    JsonObject? Settings,
    JsonObject? Mappings,
    JsonObject? Aliases,
    JsonObject Body)
{
    public bool Matches(string indexName)
    {
        foreach (var pattern in IndexPatterns)
        {
            if (IndexPattern.Matches(pattern, indexName))
            {
                return true;
            }
        }

        return false;
    }
}
