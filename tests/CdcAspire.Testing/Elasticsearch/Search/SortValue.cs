using System.Text.Json;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>One sort key of a hit: a long (integers, dates as epoch millis, booleans as 0/1), a double or a string.</summary>
internal readonly record struct SortValue(SortValueKind Kind, long Long, double Double, string? String)
{
    public static SortValue Missing => new(SortValueKind.Missing, 0, 0, null);

    public static SortValue OfLong(long value) => new(SortValueKind.Long, value, 0, null);

    public static SortValue OfDouble(double value) => new(SortValueKind.Double, 0, value, null);

    public static SortValue OfString(string value) => new(SortValueKind.String, 0, 0, value);

    public int CompareNatural(SortValue other) => (Kind, other.Kind) switch
    {
        (SortValueKind.Long, SortValueKind.Long) => Long.CompareTo(other.Long),
        (SortValueKind.String, SortValueKind.String) => string.CompareOrdinal(String, other.String),
        (SortValueKind.Long or SortValueKind.Double, SortValueKind.Long or SortValueKind.Double) => AsDouble.CompareTo(other.AsDouble),
        _ => 0,
    };

    private double AsDouble => Kind == SortValueKind.Long ? Long : Double;

    public void Write(Utf8JsonWriter writer)
    {
        switch (Kind)
        {
            case SortValueKind.Long: writer.WriteNumberValue(Long); break;
            case SortValueKind.Double when double.IsFinite(Double): writer.WriteNumberValue(Double); break;
            case SortValueKind.String: writer.WriteStringValue(String); break;
            default: writer.WriteNullValue(); break;
        }
    }
}
