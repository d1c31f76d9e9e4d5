using System.Diagnostics;
using System.Text.Json;

namespace CdcAspire.Consistency.Tests;

/// <summary>The service as a process, called by python3-grpcio (a third-party gRPC implementation) with stubs from protos/consistency.proto.</summary>
public sealed class GrpcApiTests(PostgresFixture postgres)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task PythonClientChecksWithStreamedProgressRepairsAndResyncsWithTheToken()
    {
        Assert.SkipUnless(File.Exists(Python) && File.Exists("/usr/bin/grpc_python_plugin") && File.Exists("/usr/bin/protoc"),
            "needs python3-grpcio, protobuf-compiler and protobuf-compiler-grpc (apt-get install -y python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc)");
        await using var s = await Scenario.CreateAsync(postgres, "grpc");
        s.StartSink();
        await s.AssertConvergesAsync(TimeSpan.FromSeconds(90));
        await s.SendAsync(HttpMethod.Delete, "products/_doc/2");
        await using var service = ServiceProcess.Start(s.Environment, "test-token-" + s.Name);

        var stubs = Directory.CreateTempSubdirectory("cdc-consistency-py-").FullName;
        var protos = Path.Combine(CdcAspire.Testing.Repository.Root, "protos");
        var (code, output) = await RunAsync("protoc", ["-I", protos, "--python_out=" + stubs, "--grpc_out=" + stubs,
            "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin", Path.Combine(protos, "consistency.proto")]);
        Assert.True(code == 0, output);
        (code, output) = await RunAsync(Python, [Path.Combine(AppContext.BaseDirectory, "Python", "consistency_client.py"), stubs, service.GrpcTarget, "test-token-" + s.Name]);
        Assert.True(code == 0, output + "\n--- service ---\n" + service.Output);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var check = lines.Single(l => l.GetProperty("call").GetString() == "check");
        Assert.True(check.GetProperty("progress").GetInt32() >= 3);
        var tables = check.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("table").GetString()!);
        Assert.Equal(["public.orders", "public.products", "public.users"], tables.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(1, tables["public.products"].GetProperty("missing").GetInt64());
        Assert.Equal("2", tables["public.products"].GetProperty("differences")[0].GetProperty("key").GetString());
        Assert.Equal(0, tables["public.users"].GetProperty("missing").GetInt64() + tables["public.users"].GetProperty("extra").GetInt64() + tables["public.users"].GetProperty("mismatched").GetInt64());
        Assert.Equal("UNAUTHENTICATED", lines.Single(l => l.GetProperty("call").GetString() == "repair-anonymous").GetProperty("code").GetString());
        Assert.Equal(1, lines.Single(l => l.GetProperty("call").GetString() == "repair").GetProperty("indexed").GetInt64());
        var resync = lines.Single(l => l.GetProperty("call").GetString() == "resync");
        Assert.Equal("OK", resync.GetProperty("code").GetString());
        var stages = resync.GetProperty("stages").EnumerateArray().Select(e => e.GetString()).Distinct().ToArray();
        Assert.True(stages is ["creating", "snapshotting", "catching-up", "swapping", "done"], string.Join(", ", stages) + ": " + resync.GetProperty("detail"));
        Assert.Equal("products-v2", resync.GetProperty("new_index").GetString());
        Assert.Equal(["products-v2"], s.Elasticsearch.AliasTargets("products"));
        Assert.Single(lines.Single(l => l.GetProperty("call").GetString() == "list").GetProperty("ids").EnumerateArray());
        Assert.NotNull(s.Elasticsearch.GetDocument("products", "2"));
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
