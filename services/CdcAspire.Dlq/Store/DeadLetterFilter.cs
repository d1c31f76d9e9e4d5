using CdcAspire.Pipeline.DeadLetters;

namespace CdcAspire.Dlq.Store;

/// <summary>Which dead letters a call applies to; empty fields do not filter, set ones combine with AND.</summary>
public sealed record DeadLetterFilter
{
    public IReadOnlyList<long> Ids { get; init; } = [];

    public string? Table { get; init; }

    public string? Index { get; init; }

    public string? ErrorType { get; init; }

    /// <summary>Case-insensitive substring of the error reason.</summary>
    public string? ReasonContains { get; init; }

    public IReadOnlyList<DeadLetterState> States { get; init; } = [];

    /// <summary>Only letters created at least this long ago.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>Explicitly every letter (changing calls refuse an empty filter without it).</summary>
    public bool All { get; init; }

    /// <summary>True when nothing but the states narrows the selection.</summary>
    public bool IsEmpty => Ids.Count == 0 && string.IsNullOrEmpty(Table) && string.IsNullOrEmpty(Index)
        && string.IsNullOrEmpty(ErrorType) && string.IsNullOrEmpty(ReasonContains) && OlderThan is null;

    /// <summary>The same filter with <paramref name="states"/> when it names none.</summary>
    public DeadLetterFilter WithDefaultStates(params DeadLetterState[] states) =>
        States.Count > 0 ? this : this with { States = states };
}
