using CdcAspire.Dlq.Diagnostics;
using CdcAspire.Dlq.Notifications;
using CdcAspire.Dlq.Options;
using CdcAspire.Dlq.Store;
using Microsoft.Extensions.Options;

namespace CdcAspire.Dlq.Retry;

/// <summary>Keeps the depth and age gauges current: on every change signal (at most once a second) and every <c>Dlq:MetricsInterval</c>.</summary>
internal sealed class StatsRefresher(
    DeadLetterReader reader, DlqMetrics metrics, DeadLetterSignal signal, IOptions<DlqOptions> options, ILogger<StatsRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var seen = signal.Version;
            try
            {
                metrics.Update(await reader.StatsAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.MetricsFailed(logger, ex.Message);
            }

            await signal.WaitAsync(seen, options.Value.MetricsInterval, stoppingToken);
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }
}
