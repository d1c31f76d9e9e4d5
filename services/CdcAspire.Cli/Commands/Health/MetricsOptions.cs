using System.CommandLine;

namespace CdcAspire.Cli.Commands.Health;

/// <summary>The metrics service's address flag, declared by <c>cdc health</c> and <c>cdc metrics</c>.</summary>
internal static class MetricsOptions
{
    public const string Service = "metrics";

    public static Option<string?> Address() => CliOptions.Address(Service, "http://localhost:5111");
}
