using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Options;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Writing;

/// <summary>
/// Writes dead letters durably, retrying without end: the position containing them is not acknowledged until this
/// returns, so a store outage holds the pipeline back instead of losing the letters.
/// </summary>
public sealed class DeadLetterWriter(IDeadLetterStore store, PipelineMetrics metrics, WriterOptions options, ILogger logger)
{
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
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var delay = Backoff.Delay(attempt, options.InitialRetryDelay, options.MaxRetryDelay);
                Log.DeadLetterRetry(logger, attempt + 1, delay, ex.Message);
                await Task.Delay(delay, cancellationToken);
            }
        }

        foreach (var letter in letters)
        {
            Log.DeadLettered(logger, letter.Table, letter.Operation, letter.DocumentId, letter.Position, letter.ErrorType, letter.ErrorReason);
            metrics.DeadLettered(letter.Table, 1);
        }
    }
}
