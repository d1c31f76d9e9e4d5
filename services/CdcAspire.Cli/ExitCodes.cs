namespace CdcAspire.Cli;

/// <summary>
/// The exit codes of <c>cdc</c>, the contract scripts rely on. Keep this the only place they are defined.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (also: a watch ended by Ctrl+C or by the server).</summary>
    public const int Ok = 0;

    /// <summary>
    /// The service answered with an error (any gRPC status not listed below), or Kafka Connect refused the request
    /// (an error status such as 404 for an unknown connector, or a connector config that failed validation).
    /// </summary>
    public const int RemoteError = 1;

    /// <summary>Wrong usage: unknown command or option, bad value, no service address, an unreadable connector file, no such task.</summary>
    public const int Usage = 2;

    /// <summary>
    /// The service could not be reached or did not answer in time (UNAVAILABLE, DEADLINE_EXCEEDED); for Kafka Connect:
    /// not listening, or still answering 409/5xx (a rebalance) when the retries or <c>--timeout</c> ran out.
    /// </summary>
    public const int Unreachable = 3;

    /// <summary>The token is missing or wrong (UNAUTHENTICATED, PERMISSION_DENIED).</summary>
    public const int Unauthenticated = 4;

    /// <summary>
    /// The service did the work but the result is not clean: dead letters failed again on replay, differences remain
    /// after a check, a repair or resync did not complete, or a configured component is degraded or down.
    /// </summary>
    public const int NotClean = 5;
}
