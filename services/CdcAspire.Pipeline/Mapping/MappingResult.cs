using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Elasticsearch;

namespace CdcAspire.Pipeline.Mapping;

/// <summary>What a change maps to: document writes, a truncate of an index, or a dead letter.</summary>
public sealed record MappingResult(IReadOnlyList<IndexAction> Actions, string? TruncateIndex = null, DeadLetter? DeadLetter = null)
{
    public static readonly MappingResult Nothing = new([]);
}
