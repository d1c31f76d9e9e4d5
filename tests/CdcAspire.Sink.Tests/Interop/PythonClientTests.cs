using System.Diagnostics;
using System.Text.Json;
using CdcAspire.Sink.V1;

namespace CdcAspire.Sink.Tests.Interop;

/// <summary>
/// python3-grpcio, a third-party gRPC implementation, against the real sink on Grpc.AspNetCore: health, a unary
/// call, server streaming, a deadline, and UNAUTHENTICATED for a changing call without the token.
/// Needs: apt-get install -y python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc.
/// </summary>
public sealed class PythonClientTests(PostgresFixture postgres)
{
    /// <summary>Debian's interpreter: the python3 first on PATH may be another one without grpc.</summary>
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task PythonGrpcioCallsTheRealSinkAndIsRefusedWithoutTheToken()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SinkScenario.CreateAsync(postgres, "pyinterop");
        var grpc = SinkApiTests.ConfigureGrpc(s);
        var sink = s.StartSink();
        await s.AssertConvergesAsync(TimeSpan.FromSeconds(90));
        using (var channel = SinkApiTests.Channel(grpc, null))
        {
            await SinkApiTests.WaitForGrpcAsync(new SinkService.SinkServiceClient(channel), ct);
        }

        var stubs = await GenerateStubsAsync(ct);
        var target = $"127.0.0.1:{grpc.Port}";

        var health = await RunAsync(stubs, target, "health", ct);
        Assert.Equal("SERVING", health.GetProperty("status").GetString());

        var unary = await RunAsync(stubs, target, "unary", ct);
        Assert.Equal("PHASE_STREAMING", unary.GetProperty("phase").GetString());
        Assert.Equal(["orders", "products", "users"], unary.GetProperty("tables").EnumerateArray().Select(e => e.GetString()));

        var stream = await RunAsync(stubs, target, "stream", ct, SinkApiTests.Token);
        Assert.Equal(["PHASE_STREAMING", "PHASE_PAUSED"], stream.GetProperty("phases").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("python", stream.GetProperty("reason").GetString());

        var deadline = await RunAsync(stubs, target, "deadline", ct);
        Assert.Equal("DEADLINE_EXCEEDED", deadline.GetProperty("code").GetString());
        Assert.True(deadline.GetProperty("seconds").GetDouble() < 10);

        foreach (var testCase in new[] { "pause-none", "pause-wrong" })
        {
            var refused = await RunAsync(stubs, target, testCase, ct);
            Assert.Equal("UNAUTHENTICATED", refused.GetProperty("code").GetString());
            Assert.Contains("token", refused.GetProperty("details").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        var after = await RunAsync(stubs, target, "unary", ct);
        Assert.Equal("PHASE_STREAMING", after.GetProperty("phase").GetString());
        Assert.DoesNotContain("hunter2", sink.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(SinkApiTests.Token, sink.Output, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> RunAsync(string stubs, string target, string testCase, CancellationToken ct, string? token = null)
    {
        List<string> args = [Path.Combine(AppContext.BaseDirectory, "Python", "sink_client.py"), stubs, target, testCase];
        if (token is not null)
        {
            args.Add(token);
        }

        var (code, output, error) = await RunProcessAsync(Python, args, ct);
        Assert.True(code == 0, $"python ({testCase}) exited with {code}: {error}");
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    private static async Task<string> GenerateStubsAsync(CancellationToken ct)
    {
        var protos = Path.Combine(AppContext.BaseDirectory, "Protos");
        var output = Directory.CreateTempSubdirectory("cdc-sink-py-").FullName;
        var (code, _, error) = await RunProcessAsync("protoc",
        [
            "-I", protos, "--python_out=" + output, "--grpc_out=" + output,
            "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin",
            Path.Combine(protos, "health.proto"), Path.Combine(protos, "sink.proto"),
        ], ct);
        Assert.True(code == 0, $"protoc failed ({code}): {error}. Install: apt-get install -y python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc");
        return output;
    }

    private static async Task<(int Code, string Output, string Error)> RunProcessAsync(string file, IEnumerable<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
