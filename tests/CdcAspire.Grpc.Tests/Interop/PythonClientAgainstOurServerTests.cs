using System.Text.Json;
using CdcAspire.Grpc.Tests.Infrastructure;

namespace CdcAspire.Grpc.Tests.Interop;

/// <summary>python3-grpcio (a real third-party implementation) calling our server over a loopback port.</summary>
public sealed class PythonClientAgainstOurServerTests(InteropServerFixture fixture) : IClassFixture<InteropServerFixture>
{
    private string Target => fixture.Server.Target;

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    [Fact]
    public async Task UnaryEchoCarriesTextMetadataAndBinaryMetadataBothWays()
    {
        var result = (await Python.RunClientAsync(Target, "echo")).Single();

        Assert.Equal("ok", Str(result, "event"));
        Assert.Equal("héllo", Str(result, "text"));
        var headers = result.GetProperty("headers");
        Assert.Equal("plain", Str(headers, "x-text"));
        Assert.Equal("0001fe", Str(headers, "x-data-bin"));
        Assert.False(headers.TryGetProperty("y-ignored", out _));
        Assert.Equal("done", Str(result.GetProperty("trailers"), "x-trailer"));
        Assert.Equal("0102", Str(result.GetProperty("trailers"), "x-trailer-bin"));
    }

    [Fact]
    public async Task GzipCompressedRequestIsAccepted()
    {
        var result = (await Python.RunClientAsync(Target, "echo-gzip")).Single();

        Assert.Equal("ok", Str(result, "event"));
        Assert.StartsWith("compressed compressed", Str(result, "text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerStreamingDeliversEveryMessageInOrder()
    {
        var result = (await Python.RunClientAsync(Target, "count")).Single();

        Assert.Equal([0, 1, 2, 3, 4], result.GetProperty("indexes").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task ClientCancellingMidStreamFiresTheHandlersToken()
    {
        var result = (await Python.RunClientAsync(Target, "cancel-stream")).Single();

        Assert.Equal("cancelled", Str(result, "event"));
        Assert.Equal("CANCELLED", Str(result, "code"));
        await fixture.Service.WhenCancelled("py-cancel");
    }

    [Fact]
    public async Task DeadlineExceededEndsTheCallAndCancelsTheHandler()
    {
        var result = (await Python.RunClientAsync(Target, "deadline")).Single();

        Assert.Equal("DEADLINE_EXCEEDED", Str(result, "code"));
        Assert.True(result.GetProperty("seconds").GetDouble() < 5);
        await fixture.Service.WhenCancelled("py-deadline");
    }

    [Fact]
    public async Task ErrorStatusAndPercentEncodedUnicodeMessageArriveIntact()
    {
        var result = (await Python.RunClientAsync(Target, "fail")).Single();

        Assert.Equal("FAILED_PRECONDITION", Str(result, "code"));
        Assert.Equal("table ünïcode 100% failed\nline2", Str(result, "details"));
    }

    [Fact]
    public async Task HandlerExceptionIsInternalWithoutItsDetails()
    {
        var result = (await Python.RunClientAsync(Target, "throw")).Single();

        Assert.Equal("INTERNAL", Str(result, "code"));
        Assert.DoesNotContain("secret", Str(result, "details"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(fixture.Server.Logs.Lines, l => l.Contains("secret internal detail", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("unknown-method")]
    [InlineData("unknown-service")]
    [InlineData("unbound")]
    public async Task UnknownOrUnboundMethodIsUnimplemented(string testCase)
    {
        var result = (await Python.RunClientAsync(Target, testCase)).Single();

        Assert.Equal("UNIMPLEMENTED", Str(result, "code"));
    }

    [Fact]
    public async Task ThreeMegabyteMessagesTravelBothWays()
    {
        var result = (await Python.RunClientAsync(Target, "large")).Single();

        Assert.Equal(3 * 1024 * 1024, result.GetProperty("echoed").GetInt32());
        Assert.True(result.GetProperty("same").GetBoolean());
        Assert.Equal(3 * 1024 * 1024, result.GetProperty("large").GetInt32());
    }

    [Fact]
    public async Task RequestAboveTheReceiveLimitIsResourceExhausted()
    {
        var result = (await Python.RunClientAsync(Target, "too-large")).Single();

        Assert.Equal("RESOURCE_EXHAUSTED", Str(result, "code"));
    }

    [Theory]
    [InlineData("secret-none", "UNAUTHENTICATED")]
    [InlineData("secret-wrong", "UNAUTHENTICATED")]
    [InlineData("secret-right", null)]
    public async Task TokenProtectedMethodNeedsTheConfiguredBearerToken(string testCase, string? expectedCode)
    {
        var result = (await Python.RunClientAsync(Target, testCase, TestGrpcServer.Token)).Single();

        if (expectedCode is null)
        {
            Assert.Equal("ok", Str(result, "event"));
        }
        else
        {
            Assert.Equal(expectedCode, Str(result, "code"));
        }

        Assert.DoesNotContain(fixture.Server.Logs.Lines, l => l.Contains(TestGrpcServer.Token, StringComparison.Ordinal)
            || l.Contains("wrong-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HealthCheckReportsOverallNamedAndUnknownServices()
    {
        var result = (await Python.RunClientAsync(Target, "health-check")).Single();

        Assert.Equal("SERVING", Str(result, "named"));
        Assert.Equal("NOT_FOUND", Str(result, "unknown"));
        Assert.True(Str(result, "overall") is "SERVING" or "NOT_SERVING");
    }

    [Fact]
    public async Task HealthWatchSendsTheCurrentStatusThenTheChange()
    {
        fixture.Toggle.Healthy = true;
        var stubs = await Python.StubDirectoryAsync();
        await using var python = ProcessRunner.Start(Python.Interpreter,
            [Python.Script("interop_client.py"), stubs, Target, "health-watch"]);

        var first = await python.ReadLineAsync(TestTimeouts.Process);
        fixture.Toggle.Healthy = false;
        var second = await python.ReadLineAsync(TestTimeouts.Process);
        fixture.Toggle.Healthy = true;

        Assert.Contains("\"SERVING\"", first, StringComparison.Ordinal);
        Assert.Contains("\"NOT_SERVING\"", second, StringComparison.Ordinal);
        var (exitCode, _) = await python.WaitForExitAsync(TestTimeouts.Process);
        Assert.Equal(0, exitCode);
    }
}
