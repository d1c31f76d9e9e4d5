using CdcAspire.Grpc.Client;
using CdcAspire.Grpc.Health.V1;
using CdcAspire.Grpc.Tests.Infrastructure;
using Google.Protobuf;
using static CdcAspire.Grpc.Tests.Infrastructure.InteropMethods;

namespace CdcAspire.Grpc.Tests.Interop;

/// <summary>Our client calling a python3-grpcio server (a real third-party implementation).</summary>
public sealed class OurClientAgainstPythonServerTests(PythonServerFixture python) : IClassFixture<PythonServerFixture>
{
    private static CallOptions Bounded(Metadata? headers = null, TimeSpan? timeout = null) =>
        new(headers, timeout ?? TestTimeouts.Call, TestContext.Current.CancellationToken);

    [Fact]
    public async Task UnaryEchoCarriesTextMetadataAndBinaryMetadataBothWays()
    {
        using var channel = python.CreateChannel();
        var headers = new Metadata().Add("x-text", "plain").Add("x-data-bin", [0, 1, 0xFE]);

        var response = await channel.UnaryCallAsync(Echo, new EchoRequest { Text = "héllo" }, Bounded(headers));

        Assert.Equal("héllo", response.Message.Text);
        Assert.Equal("plain", response.ResponseHeaders.GetValue("x-text"));
        Assert.Equal([0, 1, 0xFE], response.ResponseHeaders.GetBytes("x-data-bin"));
        Assert.Equal("done", response.Trailers.GetValue("x-trailer"));
        Assert.Equal([1, 2], response.Trailers.GetBytes("x-trailer-bin"));
    }

    [Fact]
    public async Task GzipCompressedResponseIsDecoded()
    {
        using var channel = python.CreateChannel();

        var response = await channel.UnaryAsync(Echo, new EchoRequest { Text = "gzip" }, Bounded());

        Assert.Equal("gzip", response.Text);
    }

    [Fact]
    public async Task ServerStreamingDeliversEveryMessageInOrder()
    {
        using var channel = python.CreateChannel();
        var indexes = new List<int>();

        await foreach (var message in channel.ServerStreaming(Count, new CountRequest { Count = 5 }, Bounded()))
        {
            indexes.Add(message.Index);
        }

        Assert.Equal([0, 1, 2, 3, 4], indexes);
    }

    [Fact]
    public async Task CancellingMidStreamCancelsTheCallOnTheServer()
    {
        using var channel = python.CreateChannel();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var received = 0;

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            var request = new CountRequest { Count = 1000, DelayMs = 50, Tag = "dotnet-cancel" };
            await foreach (var _ in channel.ServerStreaming(Count, request, new CallOptions(null, TestTimeouts.Call, cts.Token)))
            {
                if (++received == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await python.WhenPrinted("CANCELLED dotnet-cancel");
    }

    [Fact]
    public async Task DeadlineExceededIsReportedAndReachesTheServer()
    {
        using var channel = python.CreateChannel();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(Slow, new SlowRequest { DelayMs = 10_000, Tag = "dotnet-deadline" }, Bounded(timeout: TimeSpan.FromMilliseconds(300))));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5));
        await python.WhenPrinted("CANCELLED dotnet-deadline");
    }

    [Fact]
    public async Task ErrorStatusAndUnicodeMessageArriveIntact()
    {
        using var channel = python.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(Fail, new FailRequest { Code = 9, Message = "table ünïcode 100% failed" }, Bounded()));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("table ünïcode 100% failed", ex.Detail);
    }

    [Fact]
    public async Task UnknownMethodIsUnimplemented()
    {
        using var channel = python.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(Nope, new EchoRequest(), Bounded()));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task ThreeMegabyteMessagesTravelBothWays()
    {
        using var channel = python.CreateChannel();
        var payload = ByteString.CopyFrom(Enumerable.Range(0, 3 * 1024 * 1024).Select(i => (byte)i).ToArray());

        var echoed = await channel.UnaryAsync(Echo, new EchoRequest { Payload = payload }, Bounded());
        var large = await channel.UnaryAsync(Large, new LargeRequest { Size = 3 * 1024 * 1024 }, Bounded());

        Assert.Equal(payload, echoed.Payload);
        Assert.Equal(3 * 1024 * 1024, large.Payload.Length);
    }

    [Fact]
    public async Task ResponseAboveTheReceiveLimitIsResourceExhausted()
    {
        using var channel = python.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 1024 * 1024 });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(Large, new LargeRequest { Size = 2 * 1024 * 1024 }, Bounded()));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task HealthCheckAndWatchFollowTheStandardProtocol()
    {
        using var channel = python.CreateChannel();

        var overall = await channel.UnaryAsync(HealthCheck, new HealthCheckRequest(), Bounded());
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(HealthCheck, new HealthCheckRequest { Service = "nope" }, Bounded()));
        var watched = new List<HealthCheckResponse.Types.ServingStatus>();
        await foreach (var status in channel.ServerStreaming(HealthWatch, new HealthCheckRequest(), Bounded()))
        {
            watched.Add(status.Status);
            if (watched.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, overall.Status);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal([HealthCheckResponse.Types.ServingStatus.Serving, HealthCheckResponse.Types.ServingStatus.NotServing], watched);
    }

    [Fact]
    public async Task UnreachableServerIsUnavailable()
    {
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:1");

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(Echo, new EchoRequest(), Bounded()));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }
}
