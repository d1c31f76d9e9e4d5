using CdcAspire.Cli.Tests.Fakes;
using CdcAspire.Cli.Tests.Infrastructure;
using CdcAspire.Sink.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.Cli.Tests.Sink;

/// <summary>The <c>cdc</c> CLI run as a process against a fake sink on Grpc.AspNetCore, as a person would use it.</summary>
public sealed class SinkCommandTests : IAsyncLifetime
{
    private readonly FakeSinkService _sink = new();
    private FakeServer _server = null!;

    private string Sink => _server.Url;

    public async ValueTask InitializeAsync() =>
        _server = await FakeServer.StartAsync(s => s.AddSingleton(_sink), app => app.MapGrpcService<FakeSinkService>());

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StatusPrintsThePipelineLineAndARowPerTable()
    {
        var (exitCode, output, _) = await Cdc.RunAsync(["status", "--sink", Sink]);

        Assert.Equal(0, exitCode);
        Assert.Contains("orders-db", output, StringComparison.Ordinal);
        Assert.Contains("0/16B3748", output, StringComparison.Ordinal);
        Assert.Contains("2.0 KiB / 1.5 s", output, StringComparison.Ordinal);
        var orders = Row(output, "public.orders");
        Assert.Contains("snapshotting", orders, StringComparison.Ordinal);
        Assert.Contains("50.0% (500/1,000)", orders, StringComparison.Ordinal);
        Assert.Contains("490", orders, StringComparison.Ordinal);
        Assert.Contains("streaming", Row(output, "public.customers"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusFindsTheSinkThroughTheAspireReferenceVariable()
    {
        var (exitCode, output, _) = await Cdc.RunAsync(["status"], new Dictionary<string, string?> { ["services__sink__grpc__0"] = Sink });

        Assert.Equal(0, exitCode);
        Assert.Contains("public.orders", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableSinkExitsWithThreeAndOneLine()
    {
        var (exitCode, _, error) = await Cdc.RunAsync(["status", "--sink", "http://127.0.0.1:1", "--timeout", "00:00:05"]);

        Assert.Equal(3, exitCode);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("cdc: Unavailable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingAddressAndUnknownOptionsAreUsageErrors()
    {
        var (noAddress, _, noAddressError) = await Cdc.RunAsync(["status"]);
        var (badOption, _, _) = await Cdc.RunAsync(["status", "--bogus"]);

        Assert.Equal(2, noAddress);
        Assert.Contains("services__sink__grpc__0", noAddressError, StringComparison.Ordinal);
        Assert.Equal(2, badOption);
    }

    [Fact]
    public async Task PauseWithoutTokenIsUnauthenticatedAndChangesNothing()
    {
        var (exitCode, _, error) = await Cdc.RunAsync(["pause", "--sink", Sink]);
        var (wrongCode, _, wrongError) = await Cdc.RunAsync(["pause", "--sink", Sink, "--token", "not-the-token"]);

        Assert.Equal(4, exitCode);
        Assert.Contains("Unauthenticated", error, StringComparison.Ordinal);
        Assert.Equal(4, wrongCode);
        Assert.DoesNotContain("not-the-token", wrongError, StringComparison.Ordinal);
        Assert.Equal(Phase.Streaming, _sink.Status.Pipeline.Phase);
    }

    [Fact]
    public async Task PauseAndResumeWithTheTokenFromTheEnvironmentChangeThePhase()
    {
        var env = new Dictionary<string, string?> { ["CDC_API_TOKEN"] = FakeServer.Token };

        var (pauseCode, pauseOutput, _) = await Cdc.RunAsync(["pause", "--sink", Sink, "--reason", "maintenance"], env);
        var paused = _sink.Status.Pipeline;
        var (resumeCode, resumeOutput, _) = await Cdc.RunAsync(["resume", "--sink", Sink], env);

        Assert.Equal(0, pauseCode);
        Assert.Contains("Paused.", pauseOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeServer.Token, pauseOutput, StringComparison.Ordinal);
        Assert.Equal(Phase.Paused, paused.Phase);
        Assert.Equal("maintenance", paused.Reason);
        Assert.Equal(0, resumeCode);
        Assert.Contains("Resumed.", resumeOutput, StringComparison.Ordinal);
        Assert.Equal(Phase.Streaming, _sink.Status.Pipeline.Phase);
    }

    [Fact]
    public async Task StatusWatchShowsEachChangeAndEndsWithTheStream()
    {
        await using var cdc = Cdc.Start(["status", "--watch", "--sink", Sink]);

        await ReadUntilAsync(cdc, "50.0% (500/1,000)");
        _sink.Update(_ => true, s => s.Tables[0].Snapshot.RowsDone = 900);
        await ReadUntilAsync(cdc, "90.0% (900/1,000)");
        _sink.Update(_ => true, s => s.Tables[0].Phase = Phase.Streaming);
        var line = await ReadUntilAsync(cdc, "public.orders");
        while (!line.Contains("streaming", StringComparison.Ordinal))
        {
            line = await ReadUntilAsync(cdc, "public.orders");
        }

        _sink.EndWatches();
        var (exitCode, _) = await cdc.WaitForExitAsync(TestTimeouts.Process);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task PointingAtTheHttpPortSaysSoAndNamesTheGrpcEndpoint()
    {
        await using var http = await FakeServer.StartHttp11Async();

        var (exitCode, _, error) = await Cdc.RunAsync(["status", "--sink", http.Url]);

        Assert.True(exitCode == 3, $"exit {exitCode}: {error}");
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("HTTP/1.1 endpoint", error, StringComparison.Ordinal);
        Assert.Contains("services__sink__grpc__0", error, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP/2 error 13", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnHttp11ServerThatIsNotKestrelIsRecognisedToo()
    {
        // A plain HTTP/1.1 server (a proxy, a health port behind another stack) answers the HTTP/2 preface with an
        // HTTP/1.1 error instead of Kestrel's GOAWAY(HTTP_1_1_REQUIRED): the CLI asks the address itself.
        await using var server = new CdcAspire.Testing.Net.CannedHttpServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        var (exitCode, _, error) = await Cdc.RunAsync(["status", "--sink", server.Url]);

        Assert.True(exitCode == 3, $"exit {exitCode}: {error}");
        Assert.Contains("HTTP/1.1 endpoint", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpListsOnlyTheOptionsThatApply()
    {
        var (_, connector, _) = await Cdc.RunAsync(["connector", "apply", "--help"]);
        var (_, status, _) = await Cdc.RunAsync(["status", "--help"]);
        var (_, pause, _) = await Cdc.RunAsync(["pause", "--help"]);

        Assert.Contains("--connect", connector, StringComparison.Ordinal);
        Assert.Contains("--timeout", connector, StringComparison.Ordinal);
        Assert.DoesNotContain("--sink", connector, StringComparison.Ordinal);
        Assert.DoesNotContain("--token", connector, StringComparison.Ordinal);
        Assert.Contains("--sink", status, StringComparison.Ordinal);
        Assert.DoesNotContain("--token", status, StringComparison.Ordinal);
        Assert.Contains("--token", pause, StringComparison.Ordinal);
    }

    private static string Row(string output, string table) =>
        output.Split('\n').Single(l => l.Contains(table, StringComparison.Ordinal));

    private static async Task<string> ReadUntilAsync(ProcessRunner process, string text)
    {
        while (await process.ReadLineAsync(TestTimeouts.Process) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"cdc ended without printing '{text}': {process.StandardError}");
    }
}
