using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Hosting;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Resync;
using CdcAspire.Pipeline.State;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Writing;
using Microsoft.Extensions.Options;

namespace CdcAspire.Sink.Hosting;

/// <summary>
/// Runs the pipeline for the life of the service. A failed run is reported (status, health, log) and a new run
/// starts after a backoff; it resumes from the last acknowledged position, so nothing is lost and what is redone is
/// harmless (versions).
/// </summary>
public sealed partial class PipelineHost(
    IServiceScopeFactory scopes,
    SearchClusterClient elasticsearch,
    DeadLetterWriter deadLetters,
    PostgresStateStore stateStore,
    IOptions<CdcOptions> options,
    PipelineObserver observer,
    PipelineStatus status,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<PipelineHost> logger,
    ResyncFollower resyncs) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                // The source ended on its own (the server closed the stream): start again from the acknowledged position.
                attempt = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var reason = Explain(ex);
                status.SetPhaseFailed(reason);
                LogRunFailed(logger, reason, ex);
            }

            var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(attempt, 5))));
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One run with a fresh source: the keyed source <c>Cdc:Source</c> names, in a scope of the run's own, which
    /// disposes it before any backoff: a failed Kafka consumer must leave its group at once rather than hold
    /// partitions while we wait, and a replication connection must release the slot.
    /// </summary>
    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        await using var run = scopes.CreateAsyncScope();
        var source = run.ServiceProvider.GetRequiredKeyedService<IChangeSource>(options.Value.Source);
        var pipeline = new ChangePipeline(source, elasticsearch, deadLetters, options.Value, observer, loggers, time, resyncs);

        // Both topologies keep their dead letters in the source database's state schema.
        await stateStore.EnsureCreatedAsync(stoppingToken);
        await pipeline.RunAsync(stoppingToken);
    }

    /// <summary>A reason for status and logs that says what to do; never the connection string.</summary>
    private static string Explain(Exception ex) => ex switch
    {
        PipelineException or ElasticsearchException => ex.Message,
        Npgsql.PostgresException { SqlState: "28P01" or "28000" } pg =>
            $"PostgreSQL refused the login ({pg.SqlState}: {pg.MessageText}). Check the user and password in ConnectionStrings:appdb.",
        Npgsql.PostgresException pg => $"PostgreSQL error {pg.SqlState}: {pg.MessageText}",
        Npgsql.NpgsqlException npg => $"PostgreSQL is unreachable or the connection failed: {npg.Message} (ConnectionStrings:appdb)",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    [LoggerMessage(1900, LogLevel.Error, "Pipeline run failed; restarting from the last acknowledged position: {Reason}")]
    private static partial void LogRunFailed(ILogger logger, string reason, Exception exception);
}
