using System.CommandLine;
using System.Net.Http;
using CdcAspire.Cli.Services;
using Grpc.Core;

namespace CdcAspire.Cli;

/// <summary>
/// Runs a command body against one service and turns every failure into one readable line on stderr and an exit
/// code from <see cref="ExitCodes"/>. No stack traces, and the token never appears in output.
/// </summary>
public static class CommandRunner
{
    /// <summary>HTTP/2 error code HTTP_1_1_REQUIRED: what Kestrel's HTTP/1.1-only endpoint answers to a gRPC call.</summary>
    private const long Http11Required = 0xd;

    public static Task<int> RunAsync(ParseResult parse, string service,
        Func<ServiceConnection, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        RunAsync(parse, service, async (connection, ct) =>
        {
            await body(connection, ct);
            return ExitCodes.Ok;
        }, cancellationToken);

    public static async Task<int> RunAsync(ParseResult parse, string service,
        Func<ServiceConnection, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ServiceConnection? connection = null;
        try
        {
            connection = ServiceChannels.For(service, parse);
            return await body(connection, cancellationToken);
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
            if (IsHttp11Endpoint(ex) || (MayBeTransportRefusal(ex) && await AnswersHttp11Async(connection!.Address)))
            {
                return await FailAsync(ExitCodes.Unreachable,
                    $"Unavailable: {connection!.Address} is an HTTP/1.1 endpoint (the service's HTTP port for health and /status), not its gRPC endpoint. " +
                    $"Point --{service} at the gRPC port (Cdc:Grpc:Url or Cdc:Grpc:Port of the service; Aspire sets {ServiceAddress.Variable(service)}).");
            }

            var code = ex.StatusCode switch
            {
                StatusCode.Unavailable or StatusCode.DeadlineExceeded => ExitCodes.Unreachable,
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.Unauthenticated,
                _ => ExitCodes.RemoteError,
            };
            var hint = code switch
            {
                ExitCodes.Unauthenticated when !ex.Status.Detail.Contains(CliOptions.TokenVariable, StringComparison.Ordinal) =>
                    $" Pass --token or set {CliOptions.TokenVariable}.",
                ExitCodes.Unreachable => $" (the {service} service at {connection?.Address})",
                _ => string.Empty,
            };
            return await FailAsync(code, $"{ex.StatusCode}: {ex.Status.Detail}{hint}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    internal static async Task<int> FailAsync(int exitCode, string message)
    {
        await Console.Error.WriteLineAsync("cdc: " + message.ReplaceLineEndings(" "));
        return exitCode;
    }

    /// <summary>
    /// A cleartext HTTP/2 call to an HTTP/1.1-only Kestrel endpoint is reset with HTTP_1_1_REQUIRED, which the client
    /// reports as <c>Internal: The server reset the stream (HTTP/2 error 13)</c>: say what the user did instead.
    /// </summary>
    private static bool IsHttp11Endpoint(RpcException ex)
    {
        for (Exception? e = ex.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException { ErrorCode: Http11Required })
            {
                return true;
            }
        }

        return ex.StatusCode is StatusCode.Internal or StatusCode.Unavailable
               && ex.Status.Detail.Contains("HTTP/2 error 13", StringComparison.Ordinal);
    }

    /// <summary>
    /// The call failed in the transport, before any gRPC answer. Kestrel's GOAWAY(HTTP_1_1_REQUIRED) races with its
    /// closing of the socket, so the client does not always see error 13 (CI once saw another transport error):
    /// <see cref="AnswersHttp11Async"/> then asks the address directly.
    /// </summary>
    private static bool MayBeTransportRefusal(RpcException ex) =>
        ex.StatusCode is StatusCode.Internal or StatusCode.Unavailable && ex.Status.DebugException is not null and not RpcException;

    /// <summary>Whether a plain HTTP/1.1 request to the address gets an HTTP/1.x answer (any status): then it is no gRPC endpoint.</summary>
    private static async Task<bool> AnswersHttp11Async(Uri address)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var request = new HttpRequestMessage(HttpMethod.Get, address) { Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return response.Version.Major == 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return false;
        }
    }
}
