using Microsoft.Extensions.Options;

namespace CdcAspire.Consistency.Options;

/// <summary>Validates <see cref="ConsistencyOptions"/> at start; each message names the key and the fix.</summary>
public sealed class ConsistencyOptionsValidator : IValidateOptions<ConsistencyOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsistencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string S = ConsistencyOptions.SectionName;
        Positive(failures, $"{S}:KeepResults", options.KeepResults);
        Positive(failures, $"{S}:PageSize", options.PageSize);
        Positive(failures, $"{S}:SampleSize", options.SampleSize);
        Positive(failures, $"{S}:MaxDifferences", options.MaxDifferences);
        Positive(failures, $"{S}:MaxCandidates", options.MaxCandidates);
        Positive(failures, $"{S}:MergeWindow", options.MergeWindow);
        Positive(failures, $"{S}:RecheckRounds", options.RecheckRounds);
        if (options.PageSize > 10_000)
        {
            failures.Add($"{S}:PageSize is {options.PageSize}; Elasticsearch refuses pages above index.max_result_window (10,000). Use at most 10000.");
        }

        if (options.SinkWaitTimeout < TimeSpan.Zero || options.PitKeepAlive <= TimeSpan.Zero)
        {
            failures.Add($"{S}:SinkWaitTimeout must be zero or more and {S}:PitKeepAlive above zero (e.g. 00:02:00).");
        }

        if (options.ResyncSinkTimeout <= TimeSpan.Zero || options.ResyncCatchUpTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{S}:ResyncSinkTimeout and {S}:ResyncCatchUpTimeout must be above zero (e.g. 00:01:00 and 00:05:00).");
        }

        if (options.ScheduledMode is not ("full" or "sample" or "count"))
        {
            failures.Add($"{S}:ScheduledMode is '{options.ScheduledMode}'; use full, sample or count.");
        }

        foreach (var (table, interval) in options.Schedules)
        {
            if (interval < TimeSpan.Zero)
            {
                failures.Add($"{S}:Schedules:{table} is negative; use an interval such as 01:00:00, or 0 to turn it off.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, int value)
    {
        if (value <= 0)
        {
            failures.Add($"{key} is {value}; it must be at least 1.");
        }
    }
}
