using Microsoft.Extensions.Options;

namespace CdcAspire.Dlq.Options;

/// <summary>Checks <see cref="DlqOptions"/> at start; each failure names the key and a valid value.</summary>
internal sealed class DlqOptionsValidator : IValidateOptions<DlqOptions>
{
    public ValidateOptionsResult Validate(string? name, DlqOptions options)
    {
        var failures = new List<string>();
        if (options.MaxAttempts < 1)
        {
            failures.Add($"Dlq:MaxAttempts must be at least 1 (got {options.MaxAttempts}).");
        }

        if (options.BatchSize is < 1 or > 1000)
        {
            failures.Add($"Dlq:BatchSize must be between 1 and 1000 (got {options.BatchSize}).");
        }

        Positive(failures, "Dlq:RetryInitialDelay", options.RetryInitialDelay);
        Positive(failures, "Dlq:RetryMaxDelay", options.RetryMaxDelay);
        Positive(failures, "Dlq:ClaimTimeout", options.ClaimTimeout);
        Positive(failures, "Dlq:PollInterval", options.PollInterval);
        Positive(failures, "Dlq:MetricsInterval", options.MetricsInterval);
        Positive(failures, "Dlq:Breaker:OpenDuration", options.Breaker.OpenDuration);
        if (options.RetryMaxDelay < options.RetryInitialDelay)
        {
            failures.Add("Dlq:RetryMaxDelay must not be shorter than Dlq:RetryInitialDelay.");
        }

        if (options.Breaker.FailureThreshold < 1)
        {
            failures.Add($"Dlq:Breaker:FailureThreshold must be at least 1 (got {options.Breaker.FailureThreshold}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be a positive time span such as 00:00:05 (got {value}).");
        }
    }
}
