using CdcAspire.Consistency.Diagnostics;
using CdcAspire.Consistency.Options;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Resync;

namespace CdcAspire.Consistency.Resync;

/// <summary>
/// At start, settles resyncs a previous run of this service left <c>building</c> (it crashed or was stopped): one
/// whose alias already points at the new index is recorded as done (the swap happened; the old index is deleted
/// unless it was to be kept); any other is abandoned: the alias never moved, the sink stops its dual write and the
/// new index is deleted. One consistency service per deployment is assumed (as for scheduled checks).
/// </summary>
public sealed class ResyncRecovery(ResyncStore store, SearchClusterClient elasticsearch, ConsistencyOptions options, ILogger<ResyncRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var aliases = new IndexAliases(elasticsearch);
            foreach (var row in await store.BuildingAsync(stoppingToken))
            {
                var targets = await aliases.TargetsAsync(row.Alias, stoppingToken);
                if (targets.Contains(row.NewIndex))
                {
                    await store.EndAsync(row.Id, ResyncSchema.Done, "Completed before the service stopped.", stoppingToken);
                    if (!row.KeepOldIndex && !targets.Contains(row.OldIndex))
                    {
                        await aliases.DeleteIndexAsync(row.OldIndex, stoppingToken);
                    }

                    Log.ResyncRecovered(logger, row.Id, row.Alias, $"the alias already points at {row.NewIndex}: recorded as done");
                    continue;
                }

                await store.EndAsync(row.Id, ResyncSchema.Abandoned, "Interrupted: the consistency service stopped.", stoppingToken);
                if (await store.WaitReleasedAsync(row.Id, options.ResyncSinkTimeout, stoppingToken)
                    && !(await aliases.TargetsAsync(row.Alias, stoppingToken)).Contains(row.NewIndex))
                {
                    await aliases.DeleteIndexAsync(row.NewIndex, stoppingToken);
                    Log.ResyncRecovered(logger, row.Id, row.Alias, $"abandoned; {row.NewIndex} deleted, the alias stays on {row.OldIndex}");
                }
                else
                {
                    Log.ResyncRecovered(logger, row.Id, row.Alias, $"abandoned; {row.NewIndex} left in place (the sink did not confirm it stopped writing into it): delete it later");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not fatal: the rows stay building (the sink keeps writing into both, harmlessly) until the next start.
            Log.ResyncFailed(logger, "(recovery)", ex.Message, ex);
        }
    }
}
