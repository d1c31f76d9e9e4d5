using System.Diagnostics;
using System.Diagnostics.Metrics;
using CdcAspire.Grpc.Client;
using CdcAspire.Grpc.Diagnostics;
using CdcAspire.Grpc.Health.V1;
using CdcAspire.Grpc.Tests.Infrastructure;
using static CdcAspire.Grpc.Tests.Infrastructure.InteropMethods;

namespace CdcAspire.Grpc.Tests.Interop;

/// <summary>Both ends ours: the behaviours python cannot observe (trace context, metrics, token handling details).</summary>
public sealed class OurClientAgainstOurServerTests(InteropServerFixture fixture) : IClassFixture<InteropServerFixture>
{
    private static CallOptions Bounded(TimeSpan? timeout = null, Metadata? headers = null) =>
        new(headers, timeout ?? TestTimeouts.Call, TestContext.Current.CancellationToken);

    [Fact]
    public async Task ServerSpanContinuesTheClientsTraceWithRpcConventionTags()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GrpcTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address);
        var text = "trace-" + Guid.NewGuid();

        await channel.UnaryAsync(Echo, new EchoRequest { Text = text }, Bounded());

        Activity client, server;
        lock (spans)
        {
            client = spans.Last(a => a.Kind == ActivityKind.Client && a.OperationName == "cdcaspire.interop.v1.Interop/Echo");
            server = spans.Single(a => a.Kind == ActivityKind.Server && a.ParentSpanId == client.SpanId);
        }

        Assert.Equal(client.TraceId, server.TraceId);
        Assert.Equal("grpc", server.GetTagItem("rpc.system"));
        Assert.Equal("cdcaspire.interop.v1.Interop", server.GetTagItem("rpc.service"));
        Assert.Equal("Echo", server.GetTagItem("rpc.method"));
        Assert.Equal(0, server.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(0, client.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal("127.0.0.1", client.GetTagItem("server.address"));
    }

    [Fact]
    public async Task DurationHistogramsAreRecordedForClientAndServer()
    {
        var seen = new HashSet<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GrpcTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "rpc.method", Value: "Fail" })
                {
                    lock (seen)
                    {
                        seen.Add(instrument.Name);
                    }
                }
            }
        });
        listener.Start();
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address);

        await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(Fail, new FailRequest { Code = 5, Message = "m" }, Bounded()));

        lock (seen)
        {
            Assert.Contains(GrpcMetrics.ClientDuration, seen);
            Assert.Contains(GrpcMetrics.ServerDuration, seen);
        }
    }

    [Fact]
    public async Task DeadlineFiresTheHandlersTokenAndTheCallerSeesDeadlineExceeded()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(Slow, new SlowRequest { DelayMs = 30_000, Tag = "ours-deadline" }, Bounded(TimeSpan.FromMilliseconds(200))));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await fixture.Service.WhenCancelled("ours-deadline");
    }

    [Fact]
    public async Task BreakingOutOfAStreamCancelsTheHandler()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address);

        await foreach (var _ in channel.ServerStreaming(Count, new CountRequest { Count = 1000, DelayMs = 20, Tag = "ours-break" }, Bounded()))
        {
            break;
        }

        await fixture.Service.WhenCancelled("ours-break");
    }

    [Fact]
    public async Task ChannelTokenIsSentAsBearerAndAWrongOneIsRejected()
    {
        using var right = GrpcChannel.ForAddress(fixture.Server.Address, new GrpcChannelOptions { BearerToken = TestGrpcServer.Token });
        using var wrong = GrpcChannel.ForAddress(fixture.Server.Address, new GrpcChannelOptions { BearerToken = "nope" });

        var ok = await right.UnaryAsync(Secret, new EchoRequest { Text = "s" }, Bounded());
        var ex = await Assert.ThrowsAsync<RpcException>(() => wrong.UnaryAsync(Secret, new EchoRequest(), Bounded()));

        Assert.Equal("s", ok.Text);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains(fixture.Server.Logs.Lines, l => l.Contains("token does not match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnboundAndUnknownMethodsAreUnimplemented()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address);

        var unbound = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(Unbound, new EchoRequest(), Bounded()));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(Nope, new EchoRequest(), Bounded()));

        Assert.Equal(StatusCode.Unimplemented, unbound.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, unknown.StatusCode);
    }

    [Fact]
    public async Task HealthWatchOfAnUnknownServiceSaysServiceUnknownWithoutEndingTheCall()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address);

        await foreach (var status in channel.ServerStreaming(HealthWatch, new HealthCheckRequest { Service = "nope" }, Bounded()))
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.ServiceUnknown, status.Status);
            break;
        }
    }
}
