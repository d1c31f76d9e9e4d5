using CdcAspire.Dlq.Diagnostics;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Sources.Postgres;

namespace CdcAspire.Dlq.Notifications;

/// <summary>
/// Holds a connection that LISTENs on <see cref="DeadLetterSchema.NotifyChannel"/> (the trigger on dead_letters
/// notifies on every insert), so a letter the sink writes reaches the automatic retry and the metrics at once.
/// Reconnects with backoff; the retry loop's poll covers the gap.
/// </summary>
internal sealed class DeadLetterListener(PostgresConnections connections, DeadLetterSignal signal, ILogger<DeadLetterListener> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await connections.DataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Raise();
                await using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = $"LISTEN {DeadLetterSchema.NotifyChannel}";
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Letters written while nobody listened: look once now.
                signal.Raise();
                delay = TimeSpan.FromSeconds(1);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.ListenFailed(logger, delay, ex.Message);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}
