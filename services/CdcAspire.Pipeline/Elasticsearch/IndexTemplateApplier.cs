using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Applies the index templates of a folder (<c>name.json</c> = template <c>name</c>) with
/// <c>PUT _index_template/name</c> when the stored template is missing or has another <c>version</c> (a template
/// without a version is always put; PUT replaces, so this is idempotent either way). Runs before the first write, so
/// an index auto-created by the first bulk item already has its mapping, and again by <see cref="TemplateGuard"/>
/// while the pipeline runs.
/// </summary>
internal static class IndexTemplateApplier
{
    public static async Task ApplyAsync(SearchClusterClient client, string? folder, ILogger logger, CancellationToken cancellationToken, bool reapplying = false)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            return;
        }

        if (!Directory.Exists(folder))
        {
            throw new PipelineException($"Cdc:IndexTemplatesPath '{folder}' does not exist. Point it at the index-templates folder or leave it empty.");
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var json = await File.ReadAllTextAsync(file, cancellationToken);
            try
            {
                var wanted = VersionOf(json, file);
                if (wanted is not null && await client.GetIndexTemplateVersionAsync(name, cancellationToken) == wanted)
                {
                    Log.TemplateUpToDate(logger, name, wanted.Value);
                    continue;
                }

                await client.PutIndexTemplateAsync(name, json, cancellationToken);
            }
            catch (ElasticsearchException ex) when (!ex.IsTransient)
            {
                throw new PipelineException($"Elasticsearch refused index template {file}: {ex.Message} Fix the template file and restart.", ex);
            }

            if (reapplying)
            {
                Log.TemplateReapplied(logger, name);
            }
            else
            {
                Log.TemplateApplied(logger, name);
            }
        }
    }

    private static long? VersionOf(string json, string file)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return doc.RootElement.TryGetProperty("version", out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetInt64() : null;
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new PipelineException($"Index template {file} is not valid JSON ({ex.Message}). Fix the file and restart.", ex);
        }
    }
}
