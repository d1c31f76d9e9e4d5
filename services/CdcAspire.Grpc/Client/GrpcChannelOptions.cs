using System.Diagnostics.Metrics;
using CdcAspire.Grpc.Protocol;

namespace CdcAspire.Grpc.Client;

/// <summary>Settings of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>An HttpClient to use (not disposed by the channel). Default: one of the channel's own.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Handler for the channel's own HttpClient (e.g. to trust a test certificate). Disposed by the channel.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Largest response message accepted, in bytes (RESOURCE_EXHAUSTED beyond). Default 4 MB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest request message sent, in bytes; null (default) = unlimited.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Sent as <c>authorization: Bearer &lt;token&gt;</c> on every call, unless the call sets its own.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Meter factory for <c>rpc.client.duration</c>; without one a process-wide meter is used.</summary>
    public IMeterFactory? MeterFactory { get; set; }
}
