using System.Collections.Frozen;

namespace CdcAspire.Pipeline.Resync;

/// <summary>The extra indices each alias is written into while a resync builds them (immutable; swapped whole).</summary>
public sealed class DualWriteTargets
{
    public static readonly DualWriteTargets None = new(FrozenDictionary<string, string[]>.Empty);

    private readonly FrozenDictionary<string, string[]> _extra;

    private DualWriteTargets(FrozenDictionary<string, string[]> extra) => _extra = extra;

    public static DualWriteTargets From(IEnumerable<(string Alias, string Index)> pairs) =>
        new(pairs.GroupBy(p => p.Alias, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Index).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal));

    public bool IsEmpty => _extra.Count == 0;

    /// <summary>The indices an action for <paramref name="index"/> is also written into (empty when none).</summary>
    public string[] For(string index) => _extra.Count != 0 && _extra.TryGetValue(index, out var extra) ? extra : [];

    /// <summary>Whether both hold the same targets.</summary>
    public bool SameAs(DualWriteTargets other) =>
        _extra.Count == other._extra.Count && _extra.All(kv => other._extra.TryGetValue(kv.Key, out var o) && o.SequenceEqual(kv.Value, StringComparer.Ordinal));
}
