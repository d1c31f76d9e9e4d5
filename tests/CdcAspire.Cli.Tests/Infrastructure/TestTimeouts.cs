namespace CdcAspire.Cli.Tests.Infrastructure;

/// <summary>Upper bounds for every await in these tests; generous because CI machines are shared.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Call = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan Process = TimeSpan.FromSeconds(60);
}
