using CdcAspire.Testing.Net;
using System.Diagnostics;
using CdcAspire.Grpc;
using CdcAspire.Grpc.Client;
using CdcAspire.Sink.V1;

namespace CdcAspire.Sink.Tests;

/// <summary>The sink's gRPC API driving a real running pipeline, and the <c>cdc</c> CLI used as a person would.</summary>
public sealed class SinkApiTests(PostgresFixture postgres)
{
    private const string Token = "test-token-not-a-secret-elsewhere";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = SinkReflection.Descriptor.Services[0];
    private static readonly GrpcMethod<GetStatusRequest, StatusResponse> GetStatus = GrpcMethod.Unary<GetStatusRequest, StatusResponse>(Service, "GetStatus");
    private static readonly GrpcMethod<PauseRequest, PauseResponse> Pause = GrpcMethod.Unary<PauseRequest, PauseResponse>(Service, "Pause");
    private static readonly GrpcMethod<ResumeRequest, ResumeResponse> Resume = GrpcMethod.Unary<ResumeRequest, ResumeResponse>(Service, "Resume");
    private static readonly GrpcMethod<WatchRequest, StatusResponse> Watch = GrpcMethod.ServerStreaming<WatchRequest, StatusResponse>(Service, "Watch");

    [Fact]
    public async Task WatchShowsSnapshotProgressThenStreamingAndPauseHoldsBackIndexingAndAcknowledgementUntilResume()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SinkScenario.CreateAsync(postgres, "api");
        await s.ExecuteAsync(Workload.InsertProducts(3000));
        var grpc = ConfigureGrpc(s);
        s.Environment["Cdc__SnapshotChunkSize"] = "100";
        s.StartSink();
        using var channel = GrpcChannel.ForAddress(grpc, new GrpcChannelOptions { BearerToken = Token });

        // Watch from the start: the phases seen must include snapshot progress and then streaming.
        var seen = new List<StatusResponse>();
        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        watchCts.CancelAfter(Wait);
        await WaitForGrpcAsync(channel, ct);
        try
        {
            await foreach (var update in channel.ServerStreaming(Watch, new WatchRequest(), new CallOptions(CancellationToken: watchCts.Token)))
            {
                seen.Add(update);
                if (update.Pipeline.Phase == Phase.Streaming && update.Tables.All(t => t.Phase == Phase.Streaming))
                {
                    break;
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
            Assert.Fail($"The watch never showed every table streaming; {seen.Count} updates, last: {seen.LastOrDefault()}");
        }

        var products = seen.SelectMany(u => u.Tables.Where(t => t.Name == "products")).ToList();
        Assert.Contains(products, t => t.Phase == Phase.Snapshotting && t.Snapshot.RowsDone > 0 && t.Snapshot.RowsDone < 3003);
        Assert.Equal(Phase.Streaming, seen[^1].Pipeline.Phase);
        await s.AssertConvergesAsync(Wait);

        // Pause: later changes are neither indexed nor acknowledged.
        var paused = await channel.UnaryAsync(Pause, new PauseRequest { Reason = "test" }, new CallOptions(CancellationToken: ct));
        Assert.True(paused.Changed);
        Assert.Equal(Phase.Paused, paused.Status.Pipeline.Phase);
        var confirmedBefore = await ConfirmedLsnAsync(s);
        await s.ExecuteAsync("INSERT INTO users (username, email) VALUES ('paused', 'paused@example.com')");
        await s.ExecuteAsync(Workload.MultiTableTransaction(42));
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // a negative: nothing may happen while paused
        Assert.DoesNotContain(s.Elasticsearch.GetDocuments("users"), d => d.Source.Contains("paused@example.com", StringComparison.Ordinal));
        Assert.Equal(confirmedBefore, await ConfirmedLsnAsync(s));

        // Resume: catches up, nothing lost.
        var resumed = await channel.UnaryAsync(Resume, new ResumeRequest(), new CallOptions(CancellationToken: ct));
        Assert.True(resumed.Changed);
        await s.AssertConvergesAsync(Wait);
        var status = await channel.UnaryAsync(GetStatus, new GetStatusRequest(), new CallOptions(CancellationToken: ct));
        Assert.Equal(Phase.Streaming, status.Pipeline.Phase);
        Assert.NotEqual(confirmedBefore, await ConfirmedLsnAsync(s));
        Assert.True(status.Tables.Single(t => t.Name == "users").Counters.Indexed >= 4);
    }

    [Fact]
    public async Task MutatingCallsWithoutTheTokenAreRefusedAndChangeNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SinkScenario.CreateAsync(postgres, "apiauth");
        var grpc = ConfigureGrpc(s);
        var sink = s.StartSink();
        using var anonymous = GrpcChannel.ForAddress(grpc);
        await WaitForGrpcAsync(anonymous, ct);
        var ex = await Assert.ThrowsAsync<RpcException>(() => anonymous.UnaryAsync(Pause, new PauseRequest(), new CallOptions(CancellationToken: ct)));
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        using var wrong = GrpcChannel.ForAddress(grpc, new GrpcChannelOptions { BearerToken = "wrong-token-hunter2" });
        ex = await Assert.ThrowsAsync<RpcException>(() => wrong.UnaryAsync(Pause, new PauseRequest(), new CallOptions(CancellationToken: ct)));
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        var status = await anonymous.UnaryAsync(GetStatus, new GetStatusRequest(), new CallOptions(CancellationToken: ct));
        Assert.NotEqual(Phase.Paused, status.Pipeline.Phase);
        Assert.DoesNotContain("hunter2", sink.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCliShowsTablesAndPausesAndResumesARunningSink()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SinkScenario.CreateAsync(postgres, "cli");
        var grpc = ConfigureGrpc(s);
        s.StartSink();
        await s.AssertConvergesAsync(Wait);
        using (var channel = GrpcChannel.ForAddress(grpc))
        {
            await WaitForGrpcAsync(channel, ct);
        }

        var (code, output) = await CdcAsync(ct, "status", "--sink", grpc.ToString());
        Assert.Equal(0, code);
        Assert.Contains("products", output, StringComparison.Ordinal);
        Assert.Contains("Streaming", output, StringComparison.OrdinalIgnoreCase);

        (code, output) = await CdcAsync(ct, "pause", "--sink", grpc.ToString());
        Assert.Equal(4, code);
        Assert.DoesNotContain('\n', output.Trim());

        (code, _) = await CdcAsync(ct, "pause", "--sink", grpc.ToString(), "--token", Token);
        Assert.Equal(0, code);
        (code, output) = await CdcAsync(ct, "status", "--sink", grpc.ToString());
        Assert.Contains("Paused", output, StringComparison.OrdinalIgnoreCase);
        (code, _) = await CdcAsync(ct, "resume", "--sink", grpc.ToString(), "--token", Token);
        Assert.Equal(0, code);

        (code, output) = await CdcAsync(ct, "status", "--sink", "http://127.0.0.1:1");
        Assert.Equal(3, code);
    }

    private static Uri ConfigureGrpc(SinkScenario s)
    {
        var port = FreePort.Next();
        s.Environment["Cdc__Grpc__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s.Environment["Cdc__Api__Token"] = Token;
        return new Uri($"http://localhost:{port}");
    }

    private static async Task WaitForGrpcAsync(GrpcChannel channel, CancellationToken ct)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await channel.UnaryAsync(GetStatus, new GetStatusRequest(), new CallOptions(Timeout: TimeSpan.FromSeconds(2), CancellationToken: ct));
                return;
            }
            catch (RpcException) when (i < 300)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    private static Task<string?> ConfirmedLsnAsync(SinkScenario s) =>
        s.ScalarAsync<string>($"SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '{s.Name}'");

    private static async Task<(int Code, string Output)> CdcAsync(CancellationToken ct, params string[] args)
    {
        var cli = CdcAspire.Testing.Repository.BuiltAssembly("services/CdcAspire.Cli", "cdc.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("CDC_API_TOKEN");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

}
