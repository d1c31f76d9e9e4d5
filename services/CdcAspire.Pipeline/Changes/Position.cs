using System.Globalization;

namespace CdcAspire.Pipeline.Changes;

/// <summary>
/// The one ordering concept of the pipeline: where a change stands in the source's commit order.
/// <see cref="Major"/> orders transactions (for pgoutput the commit LSN of the change's transaction; for Debezium
/// the commit position Debezium documents), <see cref="Minor"/> orders changes inside one transaction.
/// Comparison is lexicographic. Every Elasticsearch write carries <see cref="ToExternalVersion"/>.
/// </summary>
public readonly record struct Position(ulong Major, uint Minor) : IComparable<Position>
{
    /// <summary>Bits of the external version that hold <see cref="Minor"/>.</summary>
    public const int MinorBits = 12;

    /// <summary>Largest <see cref="Minor"/> kept distinct in the version; later changes of a transaction share it.</summary>
    public const uint MaxDistinctMinor = (1u << MinorBits) - 1;

    /// <summary>
    /// Largest <see cref="Major"/> that fits: Elasticsearch versions are longs below 9.2e18 (about 2^63), so the
    /// major part gets 63 - 12 = 51 bits, i.e. 2 PiB of WAL. Beyond it the pipeline stops with an error instead of
    /// writing a version that would not order correctly.
    /// </summary>
    public const ulong MaxMajor = (1UL << (63 - MinorBits)) - 1;

    public static Position Zero => default;

    public int CompareTo(Position other)
    {
        var major = Major.CompareTo(other.Major);
        return major != 0 ? major : Minor.CompareTo(other.Minor);
    }

    public static bool operator <(Position left, Position right) => left.CompareTo(right) < 0;

    public static bool operator >(Position left, Position right) => left.CompareTo(right) > 0;

    public static bool operator <=(Position left, Position right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Position left, Position right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// The Elasticsearch external version for a write at this position: <c>Major * 4096 + min(Minor, 4095)</c>.
    /// Written with <c>version_type=external_gte</c>: a write whose version is lower than the stored one is
    /// rejected with 409 (superseded). Equal versions are accepted, which is safe here because two different
    /// writes of one document share a version only when they belong to the same transaction beyond its 4095th
    /// change (Debezium's source numbers from 1 + total_order, so there the limit is its 4094th); the writer keeps per-document order and a replay always resends a whole transaction in order, so
    /// the last of them wins, as it did in the database. Distinct versions for the first 4095 changes mean a replay
    /// of a transaction never shows an intermediate state of a document.
    /// </summary>
    /// <exception cref="InvalidOperationException">The position is beyond <see cref="MaxMajor"/>.</exception>
    public long ToExternalVersion()
    {
        if (Major > MaxMajor)
        {
            throw new InvalidOperationException(
                $"Position {this} is beyond the largest commit position that fits an Elasticsearch version ({MaxMajor}). " +
                "Reindex into a new index with a version offset before continuing.");
        }

        return (long)((Major << MinorBits) | Math.Min(Minor, MaxDistinctMinor));
    }

    /// <summary>PostgreSQL's LSN notation for the major part, plus the minor: <c>16/B374D848#3</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Major >> 32:X}/{Major & 0xFFFFFFFF:X}#{Minor}");
}
