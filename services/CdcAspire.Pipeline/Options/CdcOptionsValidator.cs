using CdcAspire.Pipeline.Changes;
using Microsoft.Extensions.Options;

namespace CdcAspire.Pipeline.Options;

/// <summary>Checks the <c>Cdc</c> section at start-up; every message names the key and the fix.</summary>
public sealed class CdcOptionsValidator : IValidateOptions<CdcOptions>
{
    public ValidateOptionsResult Validate(string? name, CdcOptions options)
    {
        var errors = new List<string>();
        const string S = CdcOptions.SectionName;
        if (options.Source is not (SourceNames.Postgres or SourceNames.Kafka))
        {
            errors.Add($"{S}:Source is '{options.Source}'. Use 'postgres' (direct logical replication) or 'kafka' (Debezium events).");
        }

        if (!IsIdentifier(options.SlotName))
        {
            errors.Add($"{S}:SlotName '{options.SlotName}' is not a valid slot name: use lower-case letters, digits and '_' (at most 63).");
        }

        if (!IsIdentifier(options.PublicationName))
        {
            errors.Add($"{S}:PublicationName '{options.PublicationName}' is not valid: use lower-case letters, digits and '_' (at most 63).");
        }

        if (!IsIdentifier(options.StateSchema))
        {
            errors.Add($"{S}:StateSchema '{options.StateSchema}' is not valid: use lower-case letters, digits and '_'.");
        }

        if (options.Tables.Count == 0)
        {
            errors.Add($"{S}:Tables is empty. Add at least one table, e.g. {S}:Tables:public.users:Index=users.");
        }

        var indexes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, table) in options.Tables)
        {
            var id = TableId.Parse(key);
            if (id.Schema == options.StateSchema)
            {
                errors.Add($"{S}:Tables:{key} is in the pipeline's own schema '{options.StateSchema}', which is never published.");
            }

            var index = IndexNameFor(id, table);
            if (index.Length == 0 || !string.Equals(index, index.ToLowerInvariant(), StringComparison.Ordinal) || index.StartsWith('_') || index.StartsWith('-') ||
                index.IndexOfAny(['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':']) >= 0)
            {
                errors.Add($"{S}:Tables:{key}:Index '{index}' is not a valid Elasticsearch index name: lower case, no spaces or \\/*?\"<>|,#:, not starting with _ or -.");
            }
            else if (indexes.TryGetValue(index, out var other))
            {
                // A TRUNCATE deletes every document of the index: two tables in one index would lose each other's rows.
                errors.Add($"{S}:Tables:{key}:Index '{index}' is also the index of {other}. Give each table its own index.");
            }
            else
            {
                indexes[index] = key;
            }

            if (table.IncludeColumns.Count > 0 && table.ExcludeColumns.Count > 0)
            {
                errors.Add($"{S}:Tables:{key} sets both IncludeColumns and ExcludeColumns; use one.");
            }
        }

        var w = options.Writer;
        Positive(errors, $"{S}:Writer:MaxBatchCount", w.MaxBatchCount);
        Positive(errors, $"{S}:Writer:MaxBatchBytes", w.MaxBatchBytes);
        Positive(errors, $"{S}:Writer:Lanes", w.Lanes);
        Positive(errors, $"{S}:Writer:LaneCapacity", w.LaneCapacity);
        Positive(errors, $"{S}:SnapshotChunkSize", options.SnapshotChunkSize);
        if (w.MaxBufferedBytes < 1024 * 1024)
        {
            errors.Add($"{S}:Writer:MaxBufferedBytes is {w.MaxBufferedBytes}; use at least 1048576 (1 MiB).");
        }
        if (w.RequestTimeout <= TimeSpan.Zero || w.RequestTimeout >= TimeSpan.FromSeconds(60))
        {
            errors.Add($"{S}:Writer:RequestTimeout must be above zero and under 60 s (index.gc_deletes), e.g. 00:00:30.");
        }

        if (w.InitialRetryDelay <= TimeSpan.Zero || w.MaxRetryDelay < w.InitialRetryDelay)
        {
            errors.Add($"{S}:Writer:InitialRetryDelay must be above zero and not above {S}:Writer:MaxRetryDelay.");
        }

        if (w.DegradedAfter <= TimeSpan.Zero || w.UnhealthyAfter < w.DegradedAfter)
        {
            errors.Add($"{S}:Writer:DegradedAfter must be above zero and not above {S}:Writer:UnhealthyAfter, e.g. 00:00:10 and 00:02:00.");
        }

        if (w.TemplateCheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"{S}:Writer:TemplateCheckInterval must be above zero, e.g. 00:00:30.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The index a table writes to: configured, or the table name in lower case.</summary>
    public static string IndexNameFor(TableId table, TableOptions options) =>
        string.IsNullOrWhiteSpace(options.Index) ? table.Name.ToLowerInvariant() : options.Index;

    private static void Positive(List<string> errors, string key, int value)
    {
        if (value <= 0)
        {
            errors.Add($"{key} is {value}; it must be a positive number.");
        }
    }

    private static bool IsIdentifier(string value) =>
        value.Length is > 0 and <= 63 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') && !char.IsDigit(value[0]);
}
