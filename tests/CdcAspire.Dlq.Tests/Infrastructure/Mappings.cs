using System.Net.Http.Json;
using CdcAspire.Testing;

namespace CdcAspire.Dlq.Tests.Infrastructure;

/// <summary>Index templates and mappings, set the way an operator would (over HTTP).</summary>
public static class Mappings
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>
    /// Puts the repository's products template (as the sink would) and creates the index with a short
    /// <c>index.gc_deletes</c>, so a delete's tombstone is gone long before the replay.
    /// </summary>
    public static async Task CreateProductsIndexAsync(Uri elasticsearch, string gcDeletes)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "index-templates", "products.json"));
        using var put = await Http.PutAsync(new Uri(elasticsearch, "_index_template/products"),
            new StringContent(template, System.Text.Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
        using var create = await Http.PutAsJsonAsync(new Uri(elasticsearch, "products"),
            new { settings = new Dictionary<string, string> { ["index.gc_deletes"] = gcDeletes, ["index.number_of_replicas"] = "0" } });
        create.EnsureSuccessStatusCode();
    }

    /// <summary>The fix for a strict mapping that lacks a column: add the field (PUT {index}/_mapping).</summary>
    public static async Task AddKeywordFieldAsync(Uri elasticsearch, string index, string field)
    {
        using var response = await Http.PutAsJsonAsync(new Uri(elasticsearch, $"{index}/_mapping"),
            new { properties = new Dictionary<string, object> { [field] = new { type = "keyword" } } });
        response.EnsureSuccessStatusCode();
    }
}
