using System.CommandLine;
using CdcAspire.Cli.Sink;
using CdcAspire.Grpc;

namespace CdcAspire.Cli;

/// <summary>
/// Runs a command body against the sink and turns every failure into one readable line on stderr and an exit code
/// from <see cref="ExitCodes"/>. No stack traces, and the token never appears in output.
/// </summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(ParseResult parse, GlobalOptions global,
        Func<SinkClient, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        try
        {
            using var client = SinkClient.Create(parse, global);
            await body(client, cancellationToken);
            return ExitCodes.Ok;
        }
        catch (UsageException ex)
        {
            return await FailAsync(ExitCodes.Usage, ex.Message);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl+C: the user asked to stop.
        }
        catch (RpcException ex)
        {
            var code = ex.StatusCode switch
            {
                StatusCode.Unavailable or StatusCode.DeadlineExceeded => ExitCodes.Unreachable,
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.Unauthenticated,
                _ => ExitCodes.RemoteError,
            };
            var hint = code == ExitCodes.Unauthenticated ? $" Pass --token or set {GlobalOptions.TokenVariable}." : string.Empty;
            return await FailAsync(code, $"{ex.StatusCode}: {ex.Detail}{hint}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }

    internal static async Task<int> FailAsync(int exitCode, string message)
    {
        await Console.Error.WriteLineAsync("cdc: " + message.ReplaceLineEndings(" "));
        return exitCode;
    }
}
