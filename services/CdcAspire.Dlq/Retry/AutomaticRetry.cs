using CdcAspire.Dlq.Diagnostics;
using CdcAspire.Dlq.Notifications;
using CdcAspire.Dlq.Options;
using CdcAspire.Dlq.Replay;
using CdcAspire.Dlq.Store;
using CdcAspire.Pipeline.DeadLetters;
using Microsoft.Extensions.Options;

namespace CdcAspire.Dlq.Retry;

/// <summary>
/// Replays what heals without a person: letters the source can heal (e.g. <c>unchanged_toast_unresolved</c>: the
/// row is re-read at once, woken by the sink's NOTIFY) and transient errors (429, 5xx, timeouts) when their backoff
/// is due. Permanent errors wait for a person. Claims make it safe beside other replicas and manual replays.
/// </summary>
internal sealed class AutomaticRetry(
    DeadLetterUpdater updater,
    Replayer replayer,
    ErrorClasses classes,
    DeadLetterSignal signal,
    IOptions<DlqOptions> options,
    TimeProvider time,
    ILogger<AutomaticRetry> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.AutomaticRetry)
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var seen = signal.Version;
            var wait = options.Value.PollInterval;
            try
            {
                var (due, nextDue) = await updater.DueAsync(classes.Automatic, options.Value.BatchSize, stoppingToken);
                if (due.Count > 0)
                {
                    var resolved = 0;
                    await foreach (var item in replayer.ReplayAsync(due, [DeadLetterState.Pending], "retry", stoppingToken))
                    {
                        resolved += item.Outcome is ReplayOutcome.Indexed or ReplayOutcome.Deleted or ReplayOutcome.Superseded ? 1 : 0;
                    }

                    Log.Retried(logger, due.Count, resolved);
                    signal.Raise();
                    failures = 0;
                    continue;
                }

                if (nextDue is { } next)
                {
                    var untilDue = next - time.GetUtcNow();
                    wait = untilDue < wait ? (untilDue < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : untilDue) : wait;
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                wait = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures)));
                Log.RetryLoopFailed(logger, wait, ex.Message);
            }

            await signal.WaitAsync(seen, wait, stoppingToken);
        }
    }
}
