using System.Text.Json;
using System.Text.Json.Nodes;
using EsMethod = Elastic.Transport.HttpMethod;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Index and alias management for writing through aliases: every followed table's index name is an alias over one
/// concrete versioned index <c>&lt;alias&gt;-v&lt;N&gt;</c>, so a resync can build <c>-v&lt;N+1&gt;</c> beside it and
/// move the alias in one atomic <c>_aliases</c> request.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/aliases.html
/// https://www.elastic.co/docs/api/elasticsearch/operation/operation-indices-update-aliases
/// </summary>
public sealed class IndexAliases(SearchClusterClient client)
{
    /// <summary>The concrete index name of version <paramref name="version"/> behind <paramref name="alias"/>.</summary>
    public static string VersionedName(string alias, int version) => $"{alias}-v{version}";

    /// <summary>The N of <c>&lt;alias&gt;-v&lt;N&gt;</c>, or null when <paramref name="index"/> is not named so.</summary>
    public static int? VersionOf(string alias, string index) =>
        index.StartsWith(alias + "-v", StringComparison.Ordinal) && int.TryParse(index.AsSpan(alias.Length + 2), System.Globalization.NumberStyles.None, null, out var n)
            ? n
            : null;

    /// <summary>The concrete indices <paramref name="alias"/> points at (empty when no such alias exists).</summary>
    /// <remarks>https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-alias.html</remarks>
    public async Task<IReadOnlyList<string>> TargetsAsync(string alias, CancellationToken cancellationToken)
    {
        var (status, body) = await client.SendJsonAsync(EsMethod.GET, $"/_alias/{Uri.EscapeDataString(alias)}", null, allowNotFound: true, cancellationToken);
        if (status == 404)
        {
            return [];
        }

        using var doc = JsonDocument.Parse(body);
        return [.. doc.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether a concrete index (not an alias) named <paramref name="name"/> exists.</summary>
    public async Task<bool> IsConcreteIndexAsync(string name, CancellationToken cancellationToken)
    {
        if (!await client.IndexExistsAsync(name, cancellationToken))
        {
            return false;
        }

        return (await TargetsAsync(name, cancellationToken)).Count == 0;
    }

    /// <summary>
    /// Creates <paramref name="index"/> (its settings and mappings come from the matching index template, whose
    /// patterns cover <c>&lt;alias&gt;-*</c>). Returns false when it already existed.
    /// </summary>
    public async Task<bool> CreateIndexAsync(string index, CancellationToken cancellationToken, JsonObject? body = null)
    {
        try
        {
            await client.SendJsonAsync(EsMethod.PUT, $"/{Uri.EscapeDataString(index)}", body?.ToJsonString() ?? "{}", allowNotFound: false, cancellationToken);
            return true;
        }
        catch (ElasticsearchException ex) when (ex.ErrorType == "resource_already_exists_exception")
        {
            return false;
        }
    }

    /// <summary>
    /// What a copy of <paramref name="index"/> must be created with to accept the same documents: its mappings and
    /// its <c>index.gc_deletes</c> (the delete-tombstone window the never-stale rule relies on). Templates that match
    /// the new name still apply; these explicit values win where both speak.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-mapping.html
    /// </summary>
    public async Task<JsonObject> DefinitionOfAsync(string index, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        var (_, mapping) = await client.SendJsonAsync(EsMethod.GET, $"/{Uri.EscapeDataString(index)}/_mapping", null, allowNotFound: false, cancellationToken);
        if (JsonNode.Parse(mapping) is JsonObject m && m.FirstOrDefault().Value?["mappings"] is JsonObject mappings && mappings.Count > 0)
        {
            body["mappings"] = mappings.DeepClone();
        }

        var (_, settings) = await client.SendJsonAsync(EsMethod.GET, $"/{Uri.EscapeDataString(index)}/_settings", null, allowNotFound: false, cancellationToken);
        if (JsonNode.Parse(settings) is JsonObject st && st.FirstOrDefault().Value?["settings"]?["index"]?["gc_deletes"] is JsonValue gc)
        {
            body["settings"] = new JsonObject { ["index"] = new JsonObject { ["gc_deletes"] = gc.DeepClone() } };
        }

        return body;
    }

    /// <summary>Deletes <paramref name="index"/>; a missing index is fine.</summary>
    public async Task DeleteIndexAsync(string index, CancellationToken cancellationToken) =>
        await client.SendJsonAsync(EsMethod.DELETE, $"/{Uri.EscapeDataString(index)}", null, allowNotFound: true, cancellationToken);

    /// <summary>
    /// Blocks writes into <paramref name="index"/> (<c>index.blocks.write</c>): a later write fails with 403
    /// cluster_block_exception instead of landing where nobody reads any more.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules-blocks.html#add-index-block
    /// </summary>
    public async Task BlockWritesAsync(string index, CancellationToken cancellationToken) =>
        await client.SendJsonAsync(EsMethod.PUT, $"/{Uri.EscapeDataString(index)}/_block/write", null, allowNotFound: false, cancellationToken);

    /// <summary>Makes every write so far visible to search in <paramref name="index"/>.</summary>
    public Task RefreshAsync(string index, CancellationToken cancellationToken) => client.RefreshAsync(index, cancellationToken);

    /// <summary>Points the new alias <paramref name="alias"/> at <paramref name="index"/>.</summary>
    public Task AddAsync(string alias, string index, CancellationToken cancellationToken) =>
        UpdateAsync([Action("add", index, alias)], cancellationToken);

    /// <summary>
    /// Moves <paramref name="alias"/> from <paramref name="from"/> to <paramref name="to"/> in one request (atomic:
    /// a search on the alias sees either index, never none), deleting <paramref name="from"/> in the same request
    /// unless <paramref name="keepFrom"/>.
    /// </summary>
    public Task SwapAsync(string alias, string from, string to, bool keepFrom, CancellationToken cancellationToken) =>
        UpdateAsync(
            [
                keepFrom ? Action("remove", from, alias) : new JsonObject { ["remove_index"] = new JsonObject { ["index"] = from } },
                Action("add", to, alias),
            ],
            cancellationToken);

    /// <summary>
    /// Replaces the concrete index <paramref name="alias"/> by an alias of the same name over <paramref name="index"/>
    /// in one request: <c>remove_index</c> runs before <c>add</c> whatever their order, so the name is never missing.
    /// </summary>
    public Task ReplaceWithAliasAsync(string alias, string index, CancellationToken cancellationToken) =>
        UpdateAsync([new JsonObject { ["remove_index"] = new JsonObject { ["index"] = alias } }, Action("add", index, alias)], cancellationToken);

    private static JsonObject Action(string kind, string index, string alias) =>
        new() { [kind] = new JsonObject { ["index"] = index, ["alias"] = alias } };

    private async Task UpdateAsync(JsonObject[] actions, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["actions"] = new JsonArray([.. actions]) };
        await client.SendJsonAsync(EsMethod.POST, "/_aliases", body.ToJsonString(), allowNotFound: false, cancellationToken);
    }
}
