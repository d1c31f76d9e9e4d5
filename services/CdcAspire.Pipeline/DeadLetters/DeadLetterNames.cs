using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>
/// The stored spelling of the dead-letter enums: the values <c>dlq.proto</c> documents and the DLQ service filters
/// on, so they are written in one place.
/// </summary>
public static class DeadLetterNames
{
    public static string ToStored(this DeadLetterSource source) => source switch
    {
        DeadLetterSource.Kafka => "kafka",
        _ => "pgoutput",
    };

    public static string ToStored(this DeadLetterOperation operation) => operation switch
    {
        DeadLetterOperation.Delete => "delete",
        DeadLetterOperation.Truncate => "truncate",
        DeadLetterOperation.Decode => "decode",
        _ => "index",
    };

    public static string ToStored(this DeadLetterState state) => state switch
    {
        DeadLetterState.Resolved => "resolved",
        DeadLetterState.Discarded => "discarded",
        DeadLetterState.Archived => "archived",
        _ => "pending",
    };

    /// <summary>A source name as the mapper and the sources spell it (<c>kafka</c>; anything else is the direct topology).</summary>
    public static DeadLetterSource ParseSource(string? name) =>
        string.Equals(name, "kafka", StringComparison.OrdinalIgnoreCase) ? DeadLetterSource.Kafka : DeadLetterSource.Pgoutput;

    public static DeadLetterState ParseState(string stored) => stored switch
    {
        "resolved" => DeadLetterState.Resolved,
        "discarded" => DeadLetterState.Discarded,
        "archived" => DeadLetterState.Archived,
        _ => DeadLetterState.Pending,
    };

    /// <summary>The operation a change kind would have performed.</summary>
    public static DeadLetterOperation OperationOf(ChangeKind kind) => kind switch
    {
        ChangeKind.Delete => DeadLetterOperation.Delete,
        ChangeKind.Truncate => DeadLetterOperation.Truncate,
        _ => DeadLetterOperation.Index,
    };
}
