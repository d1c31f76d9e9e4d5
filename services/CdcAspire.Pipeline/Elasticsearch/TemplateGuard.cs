using CdcAspire.Pipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Re-applies the index templates when they may have gone: every <c>Cdc:Writer:TemplateCheckInterval</c>, and before
/// the first bulk request after a failed one (a replaced Elasticsearch is first seen as a failure). It runs before
/// the bulk request that would auto-create a vanished index, so the index gets its mapping and settings again
/// (<c>gc_deletes</c>, keyword fields) instead of dynamic ones. One lane checks; the others wait for it. While the
/// check fails no bulk request is sent.
/// </summary>
#pragma warning disable CA1001 // The semaphore's wait handle is never created, so it holds nothing to dispose; the guard lives as long as the client.
internal sealed class TemplateGuard(SearchClusterClient client, string folder, TimeSpan interval, ILogger logger, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _nextCheck = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);

    // Failed requests counted so far, and the count a successful check has covered. Until a check covers the latest
    // failure every lane waits for it: a lane that sent its bulk while another lane re-applies would auto-create the
    // index without its template.
    private long _failures;
    private long _checkedThrough;

    public void MarkSuspect() => Interlocked.Increment(ref _failures);

    private bool IsCurrent => Interlocked.Read(ref _failures) == Interlocked.Read(ref _checkedThrough) && time.GetTimestamp() < Interlocked.Read(ref _nextCheck);

    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (IsCurrent)
        {
            return; // The hot path: two reads and one clock read.
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsCurrent)
            {
                return; // Another lane has just checked.
            }

            var failures = Interlocked.Read(ref _failures);
            try
            {
                await IndexTemplateApplier.ApplyAsync(client, folder, logger, cancellationToken, reapplying: true);
            }
            catch (ElasticsearchException ex) when (ex.IsTransient)
            {
                // Still unreachable: the bulk request is not sent (it could auto-create an index without its
                // template); the writer retries it, and the check runs again first.
                Log.TemplateCheckFailed(logger, ex.Message);
                throw;
            }

            Interlocked.Exchange(ref _checkedThrough, failures);
            Interlocked.Exchange(ref _nextCheck, time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency));
        }
        finally
        {
            _gate.Release();
        }
    }
}
#pragma warning restore CA1001
