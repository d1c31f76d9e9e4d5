namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// Wildcard matching of index expressions and template index_patterns, where "*" matches any run of characters.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/api-conventions.html#api-multi-index
/// </summary>
internal static class IndexPattern
{
    public static bool IsWildcard(string pattern) => pattern.Contains('*', StringComparison.Ordinal);

    public static bool Matches(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    /// <summary>Whether some name matches both patterns (used to refuse same-priority overlapping templates).</summary>
    public static bool Overlaps(string a, string b) => Intersect(a, 0, b, 0);

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern.SequenceEqual(name);
        }

        if (!name.StartsWith(pattern[..star]))
        {
            return false;
        }

        var rest = pattern[(star + 1)..];
        for (var i = star; i <= name.Length; i++)
        {
            if (Match(rest, name[i..]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Intersect(string a, int i, string b, int j)
    {
        if (i == a.Length && j == b.Length)
        {
            return true;
        }

        if (i < a.Length && a[i] == '*')
        {
            return Intersect(a, i + 1, b, j) || (j < b.Length && Intersect(a, i, b, j + 1));
        }

        if (j < b.Length && b[j] == '*')
        {
            return Intersect(a, i, b, j + 1) || (i < a.Length && Intersect(a, i + 1, b, j));
        }

        return i < a.Length && j < b.Length && a[i] == b[j] && Intersect(a, i + 1, b, j + 1);
    }
}
