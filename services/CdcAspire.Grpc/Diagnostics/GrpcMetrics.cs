using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CdcAspire.Grpc.Diagnostics;

/// <summary>
/// <c>rpc.server.duration</c> and <c>rpc.client.duration</c> histograms (milliseconds), tagged with
/// rpc.system, rpc.service, rpc.method and rpc.grpc.status_code, on the meter <c>CdcAspire.Grpc</c>.
/// </summary>
public sealed class GrpcMetrics
{
    public const string ServerDuration = "rpc.server.duration";
    public const string ClientDuration = "rpc.client.duration";

    private static readonly Lazy<GrpcMetrics> Fallback = new(() => new GrpcMetrics(new Meter(GrpcTelemetry.Name)));

    private readonly Histogram<double> _server;
    private readonly Histogram<double> _client;

    public GrpcMetrics(IMeterFactory meterFactory)
        : this(CreateMeter(meterFactory))
    {
    }

    private GrpcMetrics(Meter meter)
    {
        _server = meter.CreateHistogram<double>(ServerDuration, "ms", "Duration of inbound gRPC calls.");
        _client = meter.CreateHistogram<double>(ClientDuration, "ms", "Duration of outbound gRPC calls.");
    }

    /// <summary>
    /// For clients created without dependency injection (the CLI): one process-wide meter of the same name, so
    /// a MeterProvider that listens to <c>CdcAspire.Grpc</c> still sees the calls.
    /// </summary>
    public static GrpcMetrics Shared => Fallback.Value;

    internal void RecordServer(string service, string method, StatusCode status, TimeSpan elapsed) =>
        _server.Record(elapsed.TotalMilliseconds, Tags(service, method, status));

    internal void RecordClient(string service, string method, StatusCode status, TimeSpan elapsed) =>
        _client.Record(elapsed.TotalMilliseconds, Tags(service, method, status));

    private static TagList Tags(string service, string method, StatusCode status) => new()
    {
        { GrpcTelemetry.RpcSystem, "grpc" },
        { GrpcTelemetry.RpcService, service },
        { GrpcTelemetry.RpcMethod, method },
        { GrpcTelemetry.RpcGrpcStatusCode, (int)status },
    };

    private static Meter CreateMeter(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        return meterFactory.Create(GrpcTelemetry.Name);
    }
}
