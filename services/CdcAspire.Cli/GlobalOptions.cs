using System.CommandLine;

namespace CdcAspire.Cli;

/// <summary>Options every command takes: where the service is, the API token, and the call timeout.</summary>
public sealed class GlobalOptions
{
    /// <summary>Environment variable with the API token (<c>--token</c> wins).</summary>
    public const string TokenVariable = "CDC_API_TOKEN";

    public Option<string?> Sink { get; } = new("--sink")
    {
        Description = "Sink address, e.g. http://localhost:5081. Default: $services__sink__grpc__0, then $services__sink__http__0 (set by Aspire).",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"API token for commands that change state. Default: ${TokenVariable}. Never printed.",
        Recursive = true,
    };

    public Option<TimeSpan> Timeout { get; } = new("--timeout")
    {
        Description = "Deadline of each call (not of --watch); for 'cdc connector', of the whole command, retries included. E.g. 00:00:10.",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Sink);
        root.Options.Add(Token);
        root.Options.Add(Timeout);
    }
}
