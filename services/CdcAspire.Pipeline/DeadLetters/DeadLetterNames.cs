using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>
/// The stored spelling of the dead-letter enums: the values <c>dlq.proto</c> documents and the DLQ service filters
/// on, so they are written in one place. The direct source is stored as <c>pgoutput</c> (what dlq.proto documents and
/// what rows already hold), though its name everywhere else is <see cref="SourceNames.Postgres"/>.
/// </summary>
public static class DeadLetterNames
{
    public static string ToStored(this DeadLetterSource source) => source switch
    {
        DeadLetterSource.Kafka => SourceNames.Kafka,
        _ => StoredPostgres,
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

    /// <summary>The direct source's stored spelling (dlq.proto's <c>source</c>).</summary>
    public const string StoredPostgres = "pgoutput";

    /// <summary>
    /// A source's name, as configured (<c>Cdc:Source</c>: <c>postgres</c>, <c>kafka</c>) or as stored (<c>pgoutput</c>,
    /// <c>kafka</c>): <c>kafka</c> is the Kafka topology, anything else the direct one.
    /// </summary>
    public static DeadLetterSource ParseSource(string? name) =>
        string.Equals(name, SourceNames.Kafka, StringComparison.OrdinalIgnoreCase) ? DeadLetterSource.Kafka : DeadLetterSource.Postgres;

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
