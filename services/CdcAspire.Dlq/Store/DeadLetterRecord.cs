using CdcAspire.Pipeline.DeadLetters;

namespace CdcAspire.Dlq.Store;

/// <summary>A stored dead letter as the service reads it.</summary>
public sealed record DeadLetterRecord(
    long Id,
    DateTimeOffset CreatedAt,
    string Source,
    string? Table,
    string? Index,
    string? DocumentId,
    string Operation,
    string Position,
    long? Version,
    string ErrorType,
    string ErrorReason,
    DeadLetterState State,
    int Attempts,
    DateTimeOffset? NextRetryAt)
{
    /// <summary>The rejected document (detail reads only).</summary>
    public string? Document { get; init; }

    /// <summary>The raw undecodable bytes (detail reads only).</summary>
    public byte[]? Raw { get; init; }

    /// <summary>Replays, retries, discards and archives, oldest first (detail reads only).</summary>
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];
}

/// <summary>One entry of a dead letter's history (stored as JSON in <c>dead_letters.history</c>).</summary>
/// <param name="At">When.</param>
/// <param name="Action"><c>replay</c>, <c>retry</c> (automatic), <c>discard</c> or <c>archive</c>.</param>
/// <param name="Outcome"><c>indexed</c>, <c>deleted</c>, <c>superseded</c>, <c>failed</c>, or empty.</param>
/// <param name="Detail">The error of a failed replay, or the discard reason.</param>
public sealed record HistoryEntry(DateTimeOffset At, string Action, string Outcome, string Detail);
