using System.Globalization;

namespace CdcAspire.GrpcBench;

internal sealed record BenchResult(long Calls, double Seconds, double P50Milliseconds, double P99Milliseconds)
{
    public static BenchResult FromLatencies(List<double> latenciesMs, double seconds)
    {
        latenciesMs.Sort();
        return new BenchResult(latenciesMs.Count, seconds,
            latenciesMs[latenciesMs.Count / 2],
            latenciesMs[Math.Min(latenciesMs.Count - 1, (int)(latenciesMs.Count * 0.99))]);
    }

    /// <summary>"calls seconds p50 p99", the line both client processes print.</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Calls} {Seconds:0.000} {P50Milliseconds:0.000} {P99Milliseconds:0.000}");

    public static BenchResult Parse(string line)
    {
        var parts = line.Trim().Split(' ');
        double Part(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
        return new BenchResult((long)Part(0), Part(1), Part(2), Part(3));
    }

    public string ToMarkdownRow(string name) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Calls / Seconds:N0} | {P50Milliseconds:0.000} | {P99Milliseconds:0.000} |");
}
