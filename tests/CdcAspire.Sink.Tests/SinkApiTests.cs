using CdcAspire.Testing.Net;
using System.Diagnostics;
using CdcAspire.Sink.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CdcAspire.Sink.Tests;

/// <summary>The sink's gRPC API driving a real running pipeline, and the <c>cdc</c> CLI used as a person would.</summary>
public sealed class SinkApiTests(PostgresFixture postgres)
{
    internal const string Token = "test-token-not-a-secret-elsewhere";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task WatchShowsSnapshotProgressThenStreamingAndPauseHoldsBackIndexingAndAcknowledgementUntilResume()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SinkScenario.CreateAsync(postgres, "api");
        // Enough small chunks that the snapshot outlasts a few of the watch's 500 ms progress ticks even on a fast,
        // idle machine (3,000 rows in chunks of 100 finished between two ticks there).
        const int rows = 30000;
        await s.ExecuteAsync(Workload.InsertProducts(rows));
        var grpc = ConfigureGrpc(s);
        s.Environment["Cdc__SnapshotChunkSize"] = "50";
        s.StartSink();
        using var channel = Channel(grpc, Token);
        var client = new SinkService.SinkServiceClient(channel);

        // Watch from the start: the phases seen must include snapshot progress and then streaming.
        var seen = new List<StatusResponse>();
        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        watchCts.CancelAfter(Wait);
        await WaitForGrpcAsync(client, ct);
        try
        {
            using var watch = client.Watch(new WatchRequest(), cancellationToken: watchCts.Token);
            await foreach (var update in watch.ResponseStream.ReadAllAsync(watchCts.Token))
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
        Assert.Contains(products, t => t.Phase == Phase.Snapshotting && t.Snapshot.RowsDone > 0 && t.Snapshot.RowsDone < rows + 3);
        Assert.Equal(Phase.Streaming, seen[^1].Pipeline.Phase);
        await s.AssertConvergesAsync(Wait);

        // Pause: later changes are neither indexed nor acknowledged, and the status says why.
        var paused = await client.PauseAsync(new PauseRequest { Reason = "reindexing users" }, cancellationToken: ct);
        Assert.True(paused.Changed);
        Assert.Equal(Phase.Paused, paused.Status.Pipeline.Phase);
        Assert.Equal("reindexing users", paused.Status.Pipeline.Reason);
        var again = await client.PauseAsync(new PauseRequest { Reason = "another reason" }, cancellationToken: ct);
        Assert.False(again.Changed);
        Assert.Equal("reindexing users", again.Status.Pipeline.Reason);
        var confirmedBefore = await ConfirmedLsnAsync(s);
        await s.ExecuteAsync("INSERT INTO users (username, email) VALUES ('paused', 'paused@example.com')");
        await s.ExecuteAsync(Workload.MultiTableTransaction(42));
        var written = await s.ScalarAsync<string>("SELECT pg_current_wal_lsn()::text");

        // A negative without a sleep: wait until the server has sent the sink everything up to these changes and
        // the pipeline holds the next change at the pause; only then may nothing have happened.
        await s.EventuallyAsync(() => SentPastAsync(s, written!), sent => sent, Wait, "the WAL sender to pass the paused changes");
        await s.EventuallyAsync(async () => (await s.StatusAsync())?.GetProperty("phase").GetString(), p => p == "Paused", Wait,
            "the pipeline to hold a change at the pause");
        Assert.DoesNotContain(s.Elasticsearch.GetDocuments("users"), d => d.Source.Contains("paused@example.com", StringComparison.Ordinal));
        Assert.Equal(confirmedBefore, await ConfirmedLsnAsync(s));
        var whilePaused = await client.GetStatusAsync(new GetStatusRequest(), cancellationToken: ct);
        Assert.Equal(Phase.Paused, whilePaused.Pipeline.Phase);
        Assert.Equal("reindexing users", whilePaused.Pipeline.Reason);

        // Resume: catches up, nothing lost.
        var resumed = await client.ResumeAsync(new ResumeRequest(), cancellationToken: ct);
        Assert.True(resumed.Changed);
        Assert.Equal(Phase.Streaming, resumed.Status.Pipeline.Phase);
        Assert.Equal(string.Empty, resumed.Status.Pipeline.Reason);
        await s.AssertConvergesAsync(Wait);
        var status = await client.GetStatusAsync(new GetStatusRequest(), cancellationToken: ct);
        Assert.Equal(Phase.Streaming, status.Pipeline.Phase);
        Assert.Equal(string.Empty, status.Pipeline.Reason);
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
        using var anonymousChannel = Channel(grpc, null);
        var anonymous = new SinkService.SinkServiceClient(anonymousChannel);
        await WaitForGrpcAsync(anonymous, ct);
        var ex = await Assert.ThrowsAsync<RpcException>(() => anonymous.PauseAsync(new PauseRequest(), cancellationToken: ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        using var wrongChannel = Channel(grpc, "wrong-token-hunter2");
        var wrong = new SinkService.SinkServiceClient(wrongChannel);
        ex = await Assert.ThrowsAsync<RpcException>(() => wrong.PauseAsync(new PauseRequest(), cancellationToken: ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        var status = await anonymous.GetStatusAsync(new GetStatusRequest(), cancellationToken: ct);
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
        using (var channel = Channel(grpc, null))
        {
            await WaitForGrpcAsync(new SinkService.SinkServiceClient(channel), ct);
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

    internal static Uri ConfigureGrpc(SinkScenario s)
    {
        var port = FreePort.Next();
        s.Environment["Cdc__Grpc__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s.Environment["Cdc__Api__Token"] = Token;
        return new Uri($"http://localhost:{port}");
    }

    /// <summary>A Grpc.Net.Client channel; the token, if any, as a call credential over cleartext (loopback).</summary>
    internal static GrpcChannel Channel(Uri address, string? token) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        Credentials = token is null
            ? ChannelCredentials.Insecure
            : ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return Task.CompletedTask;
            })),
        UnsafeUseInsecureChannelCallCredentials = true,
    });

    internal static async Task WaitForGrpcAsync(SinkService.SinkServiceClient client, CancellationToken ct)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await client.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct);
                return;
            }
            catch (RpcException) when (i < 300)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    /// <summary>Whether the slot's WAL sender has decoded and sent everything up to <paramref name="lsn"/>.</summary>
    private static async Task<bool> SentPastAsync(SinkScenario s, string lsn) =>
        await s.ScalarAsync<bool?>(
            "SELECT w.sent_lsn >= '" + lsn + "'::pg_lsn FROM pg_stat_replication w " +
            $"JOIN pg_replication_slots r ON r.active_pid = w.pid WHERE r.slot_name = '{s.Name}'") == true;

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
