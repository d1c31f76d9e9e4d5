namespace CdcAspire.Grpc.Client;

/// <summary>Per-call settings.</summary>
/// <param name="Headers">Custom request metadata (keys ending in <c>-bin</c> carry bytes).</param>
/// <param name="Timeout">Deadline relative to the start of the call, sent as <c>grpc-timeout</c>; null = none.</param>
/// <param name="CancellationToken">Cancels the call; the server's handler sees its token fire.</param>
public readonly record struct CallOptions(
    Metadata? Headers = null,
    TimeSpan? Timeout = null,
    CancellationToken CancellationToken = default);
