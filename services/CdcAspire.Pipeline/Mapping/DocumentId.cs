using System.Text;

namespace CdcAspire.Pipeline.Mapping;

/// <summary>
/// The Elasticsearch <c>_id</c> of a row: the key value as text for a one-column key; for a composite key the
/// values joined by <c>|</c>, with <c>\</c> and <c>|</c> inside values escaped by <c>\</c>, so that different keys
/// never meet in one id (<c>("a|b","c")</c> and <c>("a","b|c")</c> differ).
/// </summary>
public static class DocumentId
{
    /// <summary>Elasticsearch refuses ids longer than 512 bytes.</summary>
    public const int MaxBytes = 512;

    public static string From(IReadOnlyList<string> key)
    {
        if (key.Count == 1)
        {
            return key[0];
        }

        var builder = new StringBuilder();
        for (var i = 0; i < key.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('|');
            }

            foreach (var c in key[i])
            {
                if (c is '\\' or '|')
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The key values an id was made from, for a table with <paramref name="keyColumns"/> key columns: the inverse of
    /// <see cref="From"/>. Null when the id cannot come from such a key (wrong number of parts, a dangling escape).
    /// </summary>
    public static string[]? Parse(string id, int keyColumns)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (keyColumns == 1)
        {
            return [id];
        }

        var parts = new List<string>(keyColumns);
        var current = new StringBuilder();
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (c == '\\')
            {
                if (++i == id.Length)
                {
                    return null;
                }

                current.Append(id[i]);
            }
            else if (c == '|')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts.Count == keyColumns ? [.. parts] : null;
    }
}
