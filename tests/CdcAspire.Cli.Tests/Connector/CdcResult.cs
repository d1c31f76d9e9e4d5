namespace CdcAspire.Cli.Tests.Connector;

/// <summary>What one run of <c>cdc</c> left: its exit code, stdout and stderr.</summary>
internal sealed record CdcResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
