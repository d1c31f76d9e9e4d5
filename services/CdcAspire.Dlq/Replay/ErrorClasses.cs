using CdcAspire.Dlq.Options;
using Microsoft.Extensions.Options;

namespace CdcAspire.Dlq.Replay;

/// <summary>
/// Which errors heal by themselves (429, 5xx, timeouts: retried automatically with backoff), which the source can
/// heal (re-read the row at once), and which wait for a person (mapping, parse, anything else).
/// </summary>
public sealed class ErrorClasses(IOptions<DlqOptions> options)
{
    private readonly HashSet<string> _transient = new(options.Value.TransientErrorTypes, StringComparer.Ordinal);
    private readonly HashSet<string> _heal = new(options.Value.HealErrorTypes, StringComparer.Ordinal);

    /// <summary>Every type the automatic retry takes (the <c>http_429</c>/<c>http_5xx</c> pattern is matched in SQL too).</summary>
    public IReadOnlyCollection<string> Automatic => [.. _transient, .. _heal];

    public bool IsTransient(string? errorType) =>
        errorType is not null && (_transient.Contains(errorType) || IsHttpTransient(errorType));

    public bool IsHealable(string? errorType) => errorType is not null && _heal.Contains(errorType);

    private static bool IsHttpTransient(string type) =>
        type.StartsWith("http_", StringComparison.Ordinal) && int.TryParse(type.AsSpan(5), out var status) && (status == 429 || status is >= 500 and < 600);
}
