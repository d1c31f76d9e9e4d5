using Microsoft.Extensions.Options;

namespace CdcAspire.Metrics.Options;

/// <summary>Checked at start: a wrong value stops the service with the key's name instead of a silent default.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var failures = new List<string>();
        if (options.Interval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{MetricsOptions.SectionName}:Interval = {options.Interval} is too short; use at least 00:00:00.1 (default 00:00:10).");
        }

        if (options.ProbeTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{MetricsOptions.SectionName}:ProbeTimeout must be positive (default 00:00:05).");
        }

        foreach (var (key, value) in Addresses(options))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{key} = '{value}' is not an http:// or https:// gRPC address, e.g. http://localhost:5081.");
            }
        }

        if (options.LagDegradedSeconds <= 0)
        {
            failures.Add($"{MetricsOptions.SectionName}:LagDegradedSeconds must be positive (default 300).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<(string Key, string Value)> Addresses(MetricsOptions o)
    {
        for (var i = 0; i < o.Sinks.Count; i++)
        {
            yield return ($"{MetricsOptions.SectionName}:Sinks:{i}", o.Sinks[i]);
        }

        if (!string.IsNullOrWhiteSpace(o.Dlq))
        {
            yield return ($"{MetricsOptions.SectionName}:Dlq", o.Dlq);
        }

        if (!string.IsNullOrWhiteSpace(o.Consistency))
        {
            yield return ($"{MetricsOptions.SectionName}:Consistency", o.Consistency);
        }
    }
}
