using System.CommandLine;

namespace CdcAspire.Cli.Commands;

/// <summary>The sink's address flag, declared by each sink command.</summary>
internal static class SinkOptions
{
    public const string Service = "sink";

    public static Option<string?> Address() => CliOptions.Address(Service, "http://localhost:5081");
}
