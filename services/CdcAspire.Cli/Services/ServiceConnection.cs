using Grpc.Core;
using Grpc.Net.Client;

namespace CdcAspire.Cli.Services;

/// <summary>A channel to one CdcAspire service, with the call deadline of <c>--timeout</c>.</summary>
public sealed class ServiceConnection(string service, Uri address, GrpcChannel channel, TimeSpan timeout) : IDisposable
{
    /// <summary>The service's name as Aspire knows it (<c>sink</c>, <c>dlq</c>, ...), which is also its flag.</summary>
    public string Service { get; } = service;

    public Uri Address { get; } = address;

    public GrpcChannel Channel { get; } = channel;

    /// <summary>Options of a single call: bounded by <c>--timeout</c>.</summary>
    public CallOptions Call(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);

    /// <summary>Options of a stream that lasts as long as the work (watch, replay, check): no deadline, Ctrl+C ends it.</summary>
    public static CallOptions Stream(CancellationToken cancellationToken) => new(cancellationToken: cancellationToken);

    public void Dispose() => Channel.Dispose();
}
