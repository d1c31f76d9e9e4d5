using System.CommandLine;

namespace CdcAspire.Cli;

/// <summary>
/// The options shared by commands. Each command declares only the ones that apply to it (so <c>--help</c> lists no
/// option it ignores): the service address flag on the commands that call that service, <c>--token</c> on the
/// commands that change state; <c>--timeout</c> applies everywhere.
/// </summary>
public static class CliOptions
{
    /// <summary>Environment variable with the API token (<c>--token</c> wins).</summary>
    public const string TokenVariable = "CDC_API_TOKEN";

    public const string TokenName = "--token";

    public const string TimeoutName = "--timeout";

    /// <summary>The address flag of a service: <c>--sink</c>, <c>--dlq</c>, <c>--consistency</c>, <c>--metrics</c>.</summary>
    public static Option<string?> Address(string service, string example, bool recursive = false) => new("--" + service)
    {
        Description = $"The {service} service's gRPC address, e.g. {example}. Default: ${Services.ServiceAddress.Variable(service)}, " +
                      $"then ${Services.ServiceAddress.Variable(service, "https")}, ${Services.ServiceAddress.Variable(service, "http")} (set by Aspire).",
        Recursive = recursive,
    };

    public static Option<string?> Token() => new(TokenName)
    {
        Description = $"API token (this command changes state). Default: ${TokenVariable}. Never printed.",
    };

    public static Option<TimeSpan> Timeout() => new(TimeoutName)
    {
        Description = "Deadline of each call (not of streams such as --watch, replay or check); for 'cdc connector', of the whole command, retries included. E.g. 00:00:10.",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of tables." };
}
