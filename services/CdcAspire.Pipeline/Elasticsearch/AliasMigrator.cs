using System.Diagnostics;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Makes each followed table's index name an alias before the first write, so a resync can rebuild the index behind
/// it. Nothing there: creates <c>&lt;alias&gt;-v1</c> (its template applies: the templates' patterns cover
/// <c>&lt;alias&gt;-*</c>) and the alias. A concrete index with the alias's name (written before aliases): migrated
/// once, logged as a warning: <c>&lt;alias&gt;-v1</c> is created with its mappings and <c>gc_deletes</c>, its documents are copied into <c>&lt;alias&gt;-v1</c> with their versions as external
/// versions (<see cref="IndexCopier"/>, so nothing is lost and nothing turns stale), then one atomic <c>_aliases</c>
/// request deletes it and adds the alias (<c>remove_index</c> + <c>add</c>), so the name never goes missing.
/// </summary>
/// <remarks>
/// The sink runs this before its first write, so the stream never writes into the old index during the copy. Before
/// copying, the old index gets a write block (<c>PUT /{index}/_block/write</c>): a write by another writer (a DLQ
/// replay, a repair, a second sink instance) during the copy fails with 403 (it becomes a failed replay or a dead
/// letter, to be replayed) instead of landing in an index about to be deleted: nothing is lost silently. An
/// interrupted migration is redone from the start at the next run (the block is idempotent, the copy too).
/// </remarks>
public sealed class AliasMigrator(SearchClusterClient client, ILogger logger)
{
    private readonly IndexAliases _aliases = new(client);

    /// <summary>Ensures <paramref name="alias"/> is an alias; returns the concrete index it points at (the first when several).</summary>
    public async Task<string> EnsureAliasAsync(string alias, TableId table, CancellationToken cancellationToken)
    {
        var first = IndexAliases.VersionedName(alias, 1);
        for (var attempt = 0; ; attempt++)
        {
            var targets = await _aliases.TargetsAsync(alias, cancellationToken);
            if (targets.Count > 0)
            {
                return targets[0];
            }

            if (await client.IndexExistsAsync(alias, cancellationToken))
            {
                Log.AliasMigrating(logger, alias, first);
                var started = Stopwatch.GetTimestamp();
                // The old index's own mappings (it may have been made by hand, without a template) come along.
                await _aliases.CreateIndexAsync(first, cancellationToken, await _aliases.DefinitionOfAsync(alias, cancellationToken));
                // From here on a write into the old index fails visibly (403) instead of being lost after the copy.
                await _aliases.BlockWritesAsync(alias, cancellationToken);
                await _aliases.RefreshAsync(alias, cancellationToken); // search (the copy's reader) sees only refreshed writes
                var copied = await new IndexCopier(client).CopyAsync(alias, first, table, cancellationToken);
                await _aliases.RefreshAsync(first, cancellationToken);
                await _aliases.ReplaceWithAliasAsync(alias, first, cancellationToken);
                Log.AliasMigrated(logger, alias, first, copied, Stopwatch.GetElapsedTime(started).TotalSeconds);
                return first;
            }

            await _aliases.CreateIndexAsync(first, cancellationToken);
            try
            {
                await _aliases.AddAsync(alias, first, cancellationToken);
                Log.AliasCreated(logger, alias, first);
                return first;
            }
            catch (ElasticsearchException ex) when (ex.ErrorType == "invalid_alias_name_exception" && attempt < 3)
            {
                // Another writer auto-created a concrete index with that name meanwhile: migrate it (next round).
            }
        }
    }
}
