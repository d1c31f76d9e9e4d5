using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;

namespace CdcAspire.Dlq.Store;

/// <summary>
/// Creates or migrates <c>dead_letters</c> before the service answers (the sink does the same; either may start
/// first), retrying while the database is not reachable yet.
/// </summary>
internal sealed class SchemaMigration(PostgresConnections connections, CdcOptions options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DeadLetterSchema.MigrateAsync(connections.DataSource, options.StateSchema, cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException(
                    $"Could not create or migrate {options.StateSchema}.dead_letters ({ex.SqlState}: {ex.MessageText}) in {connections.Description}. " +
                    "Give the service's role CREATE on the database (or run the sink once), then start it again.", ex);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
