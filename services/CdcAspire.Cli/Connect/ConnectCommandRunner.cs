using System.CommandLine;
using System.Text.Json;
using CdcAspire.KafkaConnect;

namespace CdcAspire.Cli.Connect;

/// <summary>
/// Runs a <c>cdc connector</c> command body against a Kafka Connect worker, bounded by <c>--timeout</c> (retries
/// included), and turns every failure into one readable line on stderr and an exit code from <see cref="ExitCodes"/>.
/// Every message goes through the worker's <see cref="SecretScrubber"/>.
/// </summary>
public static class ConnectCommandRunner
{
    public static async Task<int> RunAsync(ParseResult parse, Option<string?> connect,
        Func<ConnectWorker, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        
        ArgumentNullException.ThrowIfNull(body);
        var timeout = parse.GetValue<TimeSpan>(CliOptions.TimeoutName);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        ConnectWorker? worker = null;
        try
        {
            worker = ConnectWorker.Create(ConnectAddress.Resolve(parse.GetValue(connect)));
            return await body(worker, deadline.Token);
        }
        catch (UsageException ex)
        {
            return await FailAsync(worker, ExitCodes.Usage, ex.Message);
        }
        catch (KafkaConnectException ex) when (ex.StatusCode is null && ex.IsTransient)
        {
            return await FailAsync(worker, ExitCodes.Unreachable, $"{ex.Message} {Hint}");
        }
        catch (KafkaConnectException ex)
        {
            return await FailAsync(worker, ExitCodes.RemoteError, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl+C: the user asked to stop.
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return await FailAsync(worker, ExitCodes.Unreachable,
                $"Kafka Connect at {worker?.Address} did not answer within {timeout}{(worker?.LastFailure is { } last ? $" (last attempt: {last})" : string.Empty)}. {Hint} A longer --timeout gives a rebalance more time.");
        }
        catch (JsonException ex)
        {
            return await FailAsync(worker, ExitCodes.RemoteError, $"Kafka Connect at {worker?.Address} answered with something that is not its REST API's JSON ({ex.Message}). Is --connect the worker's REST endpoint?");
        }
        finally
        {
            worker?.Dispose();
        }
    }

    private static string Hint =>
        $"Check --connect, {ConnectAddress.AspireVariable} or {ConnectAddress.Variable}.";

    private static Task<int> FailAsync(ConnectWorker? worker, int exitCode, string message) =>
        CommandRunner.FailAsync(exitCode, worker?.Secrets.Scrub(message) ?? message);
}
