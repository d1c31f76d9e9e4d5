namespace CdcAspire.ConsistencyBench;

/// <summary>What the orchestrator hands its children, as the environment variables the service itself reads.</summary>
internal static class BenchEnvironment
{
    public const string Table = "public.bench_items";
    public const string Index = "bench_items";

    public static Dictionary<string, string> For(string appdb, string elasticsearch) => new()
    {
        ["ConnectionStrings__appdb"] = appdb,
        ["ConnectionStrings__elasticsearch"] = elasticsearch,
        ["Cdc__Tables__public.bench_items__Index"] = Index,
        // No sink in this benchmark: its slot does not exist, so the re-check never waits.
        ["Cdc__SlotName"] = "bench_no_sink",
        ["Cdc__PublicationName"] = "bench_no_sink",
    };
}
