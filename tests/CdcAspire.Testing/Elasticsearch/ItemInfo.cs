namespace CdcAspire.Testing.Elasticsearch;

/// <summary>A bulk item as seen by <see cref="FaultInjector.RejectItems"/>.</summary>
/// <param name="Index">The index or alias the item names, as sent (what the writer chose; the sink names aliases).</param>
/// <param name="Id">The document _id (generated when the action had none).</param>
/// <param name="Action">"index", "create", "delete" or "update".</param>
/// <param name="Source">The document JSON (for update, the partial "doc"); null for delete.</param>
public sealed record ItemInfo(string Index, string Id, string Action, string? Source)
{
    /// <summary>The concrete index the item would be written to (after alias resolution).</summary>
    public string ConcreteIndex { get; init; } = Index;
}
