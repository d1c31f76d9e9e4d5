using System.Globalization;
using System.Text;

namespace CdcAspire.Benchmarks;

/// <summary>Samples per metric over the rounds; the table shows medians, and ratios are medians of per-round ratios.</summary>
internal sealed class Results
{
    private readonly Dictionary<string, List<double>> _samples = new(StringComparer.Ordinal);

    public void Add(string key, double value)
    {
        if (!_samples.TryGetValue(key, out var list))
        {
            _samples[key] = list = [];
        }

        list.Add(value);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {key} = {value:N1}"));
    }

    public IReadOnlyList<double> Samples(string key) => _samples.GetValueOrDefault(key) ?? [];

    public double Median(string key) => MedianOf(Samples(key));

    /// <summary>Median of value[i] / reference[i] over the rounds that measured both.</summary>
    public double RatioMedian(string key, string reference)
    {
        var a = Samples(key);
        var b = Samples(reference);
        return MedianOf(a.Zip(b, (x, y) => x / y).ToList());
    }

    public static double MedianOf(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public string Spread(string key)
    {
        var s = Samples(key);
        return s.Count == 0 ? "" : string.Join(" / ", s.Select(v => v.ToString(v >= 100 ? "N0" : "0.0", CultureInfo.InvariantCulture)));
    }
}

/// <summary>One line of the markdown results table.</summary>
internal sealed record ResultRow(string Metric, string Value, string Reference, string Ratio, string Goal, string Runs)
{
    public static string ToMarkdown(IEnumerable<ResultRow> rows, string header)
    {
        var sb = new StringBuilder();
        sb.AppendLine(header);
        sb.AppendLine();
        sb.AppendLine("| metric | value (median) | reference (median) | ratio (median) | goal | runs |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Metric} | {r.Value} | {r.Reference} | {r.Ratio} | {r.Goal} | {r.Runs} |");
        }

        return sb.ToString();
    }
}
