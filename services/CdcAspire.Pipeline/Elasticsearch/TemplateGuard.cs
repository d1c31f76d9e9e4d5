using CdcAspire.Pipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Re-applies the index templates when they may have gone: every <c>Cdc:Writer:TemplateCheckInterval</c>, and before
/// the first bulk request after a failed one (a replaced Elasticsearch is first seen as a failure). It runs before
/// the bulk request that would auto-create a vanished index, so the index gets its mapping and settings again
/// (<c>gc_deletes</c>, keyword fields) instead of dynamic ones. One lane checks; the others wait for it.
/// </summary>
#pragma warning disable CA1001 // The semaphore's wait handle is never created, so it holds nothing to dispose; the guard lives as long as the client.
internal sealed class TemplateGuard(SearchClusterClient client, string folder, TimeSpan interval, ILogger logger, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _nextCheck = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
    private int _suspect;

    public void MarkSuspect() => Volatile.Write(ref _suspect, 1);

    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _suspect) == 0 && time.GetTimestamp() < Volatile.Read(ref _nextCheck))
        {
            return; // The hot path: one flag and one clock read.
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _suspect) == 0 && time.GetTimestamp() < Volatile.Read(ref _nextCheck))
            {
                return; // Another lane has just checked.
            }

            Volatile.Write(ref _suspect, 0);
            try
            {
                await IndexTemplateApplier.ApplyAsync(client, folder, logger, cancellationToken, reapplying: true);
            }
            catch (ElasticsearchException ex) when (ex.IsTransient)
            {
                // Still unreachable: the bulk request fails the same way and the writer retries; check again then.
                Log.TemplateCheckFailed(logger, ex.Message);
                Volatile.Write(ref _suspect, 1);
                return;
            }

            Volatile.Write(ref _nextCheck, time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency));
        }
        finally
        {
            _gate.Release();
        }
    }
}
#pragma warning restore CA1001
