using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Options;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Writing;

/// <summary>
/// Writes dead letters durably, retrying without end: the position containing them is not acknowledged until this
/// returns, so a store outage holds the pipeline back instead of losing the letters.
/// </summary>
public sealed class DeadLetterWriter(
    IDeadLetterStore store, PipelineObserver observer, WriterOptions options, ILogger logger, DeadLetterSource source = DeadLetterSource.Postgres)
{
    /// <summary>The topology this writer's pipeline reads, stamped on the letters Elasticsearch rejects.</summary>
    public DeadLetterSource Source => source;

    public async Task WriteAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        if (letters.Count == 0)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.WriteAsync(letters, cancellationToken);
                break;
            }
            catch (Npgsql.PostgresException ex) when (!IsTransient(ex.SqlState))
            {
                // Permission denied, a dropped table: waiting will not fix it. Fail the run (nothing after these
                // letters is acknowledged); the next run recreates the table if it was dropped.
                throw new Changes.PipelineException(
                    $"The dead-letter store refused the write ({ex.SqlState}: {ex.MessageText}). Check the sink role's rights on the state schema.", ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var delay = Backoff.Delay(attempt, options.InitialRetryDelay, options.MaxRetryDelay);
                Log.DeadLetterRetry(logger, attempt + 1, delay, ex.Message);
                await Task.Delay(delay, cancellationToken);
            }
        }

        foreach (var letter in letters)
        {
            Log.DeadLettered(logger, letter.Table, letter.Operation.ToStored(), letter.DocumentId, letter.Position, letter.ErrorType, WithoutValues(letter.ErrorReason));
            observer.DeadLettered(letter.Table, 1);
        }
    }

    /// <summary>Connection loss, resource shortage, serialization failures, shutdowns: worth retrying.</summary>
    private static bool IsTransient(string sqlState) => sqlState.Length >= 2 && sqlState[..2] is "08" or "53" or "57" or "40" or "55" or "58";

    /// <summary>
    /// Elasticsearch's mapping errors quote the offending value ("Preview of field's value: ..."): row data does not
    /// belong in logs. The full reason stays with the letter in the store, beside the document itself.
    /// </summary>
    internal static string WithoutValues(string reason)
    {
        var preview = reason.IndexOf("Preview of field's value", StringComparison.Ordinal);
        return preview < 0 ? reason : reason[..preview] + "(value omitted)";
    }
}
