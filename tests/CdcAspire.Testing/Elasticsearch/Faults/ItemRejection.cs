namespace CdcAspire.Testing.Elasticsearch.Faults;

/// <summary>A registered per-item rejection rule.</summary>
internal sealed record ItemRejection(Func<ItemInfo, bool> Predicate, int Status, string Type, string Reason);
