using System.CommandLine;
using CdcAspire.Grpc.Client;
using CdcAspire.Sink.V1;

namespace CdcAspire.Cli.Sink;

/// <summary>The sink's API (<c>cdcaspire.sink.v1.SinkService</c>) as the CLI uses it.</summary>
public sealed class SinkClient : IDisposable
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = SinkReflection.Descriptor.Services[0];

    private static readonly GrpcMethod<GetStatusRequest, StatusResponse> GetStatusMethod =
        GrpcMethod.Unary<GetStatusRequest, StatusResponse>(Service, "GetStatus");

    private static readonly GrpcMethod<PauseRequest, PauseResponse> PauseMethod =
        GrpcMethod.Unary<PauseRequest, PauseResponse>(Service, "Pause");

    private static readonly GrpcMethod<ResumeRequest, ResumeResponse> ResumeMethod =
        GrpcMethod.Unary<ResumeRequest, ResumeResponse>(Service, "Resume");

    private static readonly GrpcMethod<WatchRequest, StatusResponse> WatchMethod =
        GrpcMethod.ServerStreaming<WatchRequest, StatusResponse>(Service, "Watch");

    private readonly GrpcChannel _channel;
    private readonly TimeSpan _timeout;

    private SinkClient(GrpcChannel channel, TimeSpan timeout)
    {
        _channel = channel;
        _timeout = timeout;
    }

    public static SinkClient Create(ParseResult parse, GlobalOptions global)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(global);
        var address = SinkAddress.Resolve(parse.GetValue(global.Sink));
        var token = parse.GetValue(global.Token) ?? Environment.GetEnvironmentVariable(GlobalOptions.TokenVariable);
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { BearerToken = token });
        return new SinkClient(channel, parse.GetValue(global.Timeout));
    }

    public Task<StatusResponse> GetStatusAsync(CancellationToken cancellationToken) =>
        _channel.UnaryAsync(GetStatusMethod, new GetStatusRequest(), Options(cancellationToken));

    public Task<PauseResponse> PauseAsync(string? reason, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(PauseMethod, new PauseRequest { Reason = reason ?? string.Empty }, Options(cancellationToken));

    public Task<ResumeResponse> ResumeAsync(CancellationToken cancellationToken) =>
        _channel.UnaryAsync(ResumeMethod, new ResumeRequest(), Options(cancellationToken));

    /// <summary>Status snapshots until the server ends the stream or the token is cancelled; no deadline.</summary>
    public IAsyncEnumerable<StatusResponse> WatchAsync(CancellationToken cancellationToken) =>
        _channel.ServerStreaming(WatchMethod, new WatchRequest(), new CallOptions(CancellationToken: cancellationToken));

    public void Dispose() => _channel.Dispose();

    private CallOptions Options(CancellationToken cancellationToken) => new(null, _timeout, cancellationToken);
}
