using System.Globalization;

namespace CdcAspire.Benchmarks;

/// <summary>Command line: --quick scales everything down; --runs, --events, --latency-seconds, --memory-runs,
/// --memory-bursts, --sink-env override; --only picks parts.</summary>
internal sealed record BenchOptions(int Events, int Runs, int LatencyRate, TimeSpan LatencyDuration, int[] MemoryBursts, int MemoryRuns, bool Quick)
{
    /// <summary>Which parts to run (all by default).</summary>
    public IReadOnlyList<string> Parts { get; init; } = ["throughput", "deployed", "latency", "deployed-latency", "memory"];

    /// <summary>Rows of the deployed-shape burst (seed products rows in one INSERT).</summary>
    public int DeployedRows { get; init; } = 100_000;

    /// <summary>Which bulk peers the deployed shape runs against (<c>ack</c>, <c>es</c>; both by default).</summary>
    public IReadOnlyList<string> DeployedPeers { get; init; } = ["ack", "es"];

    /// <summary>Extra environment for the sink process (e.g. DOTNET_gcServer=0), to test what its memory depends on.</summary>
    public IReadOnlyDictionary<string, string> SinkEnvironment { get; init; } = new Dictionary<string, string>();

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = quick
            ? new BenchOptions(20_000, 1, 5_000, TimeSpan.FromSeconds(3), [20_000, 100_000], 1, true) { DeployedRows = 20_000 }
            : new BenchOptions(200_000, 3, 5_000, TimeSpan.FromSeconds(10), [200_000, 1_000_000], 2, false);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--runs" when i + 1 < args.Length:
                    options = options with { Runs = Int(args[++i]), MemoryRuns = Math.Min(options.MemoryRuns, Int(args[i])) };
                    break;
                case "--events" when i + 1 < args.Length:
                    options = options with { Events = Int(args[++i]) };
                    break;
                case "--latency-seconds" when i + 1 < args.Length:
                    options = options with { LatencyDuration = TimeSpan.FromSeconds(Int(args[++i])) };
                    break;
                case "--memory-runs" when i + 1 < args.Length:
                    options = options with { MemoryRuns = Int(args[++i]) };
                    break;
                case "--memory-bursts" when i + 1 < args.Length:
                    options = options with { MemoryBursts = args[++i].Split(',').Select(Int).ToArray() };
                    break;
                case "--sink-env" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal):
                    var pair = args[++i].Split('=', 2);
                    options = options with { SinkEnvironment = new Dictionary<string, string>(options.SinkEnvironment) { [pair[0]] = pair[1] } };
                    break;
                case "--deployed-rows" when i + 1 < args.Length:
                    options = options with { DeployedRows = Int(args[++i]) };
                    break;
                case "--peers" when i + 1 < args.Length:
                    options = options with { DeployedPeers = args[++i].Split(',') };
                    break;
                case "--only" when i + 1 < args.Length:
                    options = options with { Parts = args[++i].Split(',') };
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown argument '{args[i]}'. Use --quick, --runs N, --events N, --latency-seconds N, --memory-runs N, --memory-bursts N,N, --sink-env KEY=VALUE, --deployed-rows N, --peers ack,es, --only throughput,deployed,latency,deployed-latency,memory.");
            }
        }

        return options;
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture) is var v && v > 0
        ? v
        : throw new ArgumentException($"'{s}' must be a positive number.");
}
