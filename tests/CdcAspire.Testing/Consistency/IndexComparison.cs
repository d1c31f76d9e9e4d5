using System.Globalization;
using System.Text.Json;
using CdcAspire.Testing.Elasticsearch;
using Npgsql;

namespace CdcAspire.Testing.Consistency;

/// <summary>
/// Compares a table with its index, independently of the pipeline's own mapping: each row is read as PostgreSQL's
/// <c>to_jsonb(row)</c> and compared with the stored document value by value (numbers by exact decimal text,
/// timestamps as instants). Reports missing, extra and differing documents.
/// </summary>
public static class IndexComparison
{
    public static async Task<IReadOnlyList<string>> DifferencesAsync(
        string connectionString, string table, ElasticsearchTestServer server, string index, CancellationToken cancellationToken = default)
    {
        var rows = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var cmd = new NpgsqlCommand($"SELECT id::text, to_jsonb(t)::text FROM \"{table}\" t", connection);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[reader.GetString(0)] = JsonDocument.Parse(reader.GetString(1)).RootElement.Clone();
            }
        }

        var docs = server.IndexNames.Contains(index)
            ? server.GetDocuments(index).ToDictionary(d => d.Id, d => JsonDocument.Parse(d.Source).RootElement.Clone(), StringComparer.Ordinal)
            : [];
        var differences = new List<string>();
        foreach (var (id, row) in rows)
        {
            if (!docs.TryGetValue(id, out var doc))
            {
                differences.Add($"{table} id {id}: missing from {index}");
            }
            else if (!SameValue(row, doc, out var where))
            {
                differences.Add($"{table} id {id}: differs at {where}");
            }
        }

        differences.AddRange(docs.Keys.Where(id => !rows.ContainsKey(id)).Select(id => $"{table} id {id}: extra in {index} (deleted row)"));
        return differences;
    }

    private static bool SameValue(JsonElement expected, JsonElement actual, out string where, string path = "$")
    {
        where = path;
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                var actualNames = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var property in expected.EnumerateObject())
                {
                    if (!actual.TryGetProperty(property.Name, out var value))
                    {
                        // A column added after the row was last written: PostgreSQL reports null, the document has
                        // no field yet; for search they are the same ("missing").
                        if (property.Value.ValueKind == JsonValueKind.Null)
                        {
                            continue;
                        }

                        where = $"{path}.{property.Name} (missing)";
                        return false;
                    }

                    if (!SameValue(property.Value, value, out where, $"{path}.{property.Name}"))
                    {
                        return false;
                    }

                    actualNames.Remove(property.Name);
                }

                where = actualNames.Count > 0 ? $"{path}.{actualNames.First()} (extra)" : path;
                return actualNames.Count == 0;
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() != expected.GetArrayLength())
                {
                    return false;
                }

                var i = 0;
                foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    if (!SameValue(e, a, out where, $"{path}[{i++}]"))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Number:
                return actual.ValueKind == JsonValueKind.Number &&
                    decimal.Parse(expected.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture) ==
                    decimal.Parse(actual.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.String:
                if (actual.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                var (x, y) = (expected.GetString()!, actual.GetString()!);
                return x == y || (x.Length >= 19 && x[4] == '-' && x[10] == 'T' &&
                    DateTimeOffset.TryParse(x, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dx) &&
                    DateTimeOffset.TryParse(y, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dy) && dx == dy);
            default:
                return expected.ValueKind == actual.ValueKind;
        }
    }
}
