using System.CommandLine;

namespace CdcAspire.Cli.Commands.Consistency;

/// <summary>The consistency service's address flag, declared by <c>cdc check</c>, <c>repair</c> and <c>resync</c>.</summary>
internal static class ConsistencyOptions
{
    public const string Service = "consistency";

    public static Option<string?> Address() => CliOptions.Address(Service, "http://localhost:5101");
}
