using System.Diagnostics;
using System.Text.Json;
using CdcAspire.Dlq.Tests.Infrastructure;

namespace CdcAspire.Dlq.Tests;

/// <summary>python3-grpcio (a third-party implementation) calls List and GetStats with stubs made from protos/dlq.proto.</summary>
public sealed class PythonClientTests(PostgresFixture postgres)
{
    [Fact]
    public async Task PythonListsAndCountsTheDeadLetters()
    {
        await using var s = await DlqScenario.CreateAsync(postgres, "python");
        await s.StartDlqAsync();
        await s.ExecuteAsync("""
            INSERT INTO cdc.dead_letters (source, table_name, index_name, document_id, operation, position, error_type, error_reason)
            SELECT 'pgoutput', 'public.products', 'products', id::text, 'index', '0/1:0', 'mapper_parsing_exception', 'failed to parse'
            FROM products
            """);

        var stubs = await GenerateStubsAsync();
        var (exit, output, error) = await RunAsync("/usr/bin/python3",
            [Path.Combine(AppContext.BaseDirectory, "Python", "dlq_client.py"), stubs, $"{s.Dlq!.Grpc.Host}:{s.Dlq.Grpc.Port}"]);

        Assert.True(exit == 0, $"python exited {exit}: {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var list = lines.Single(l => l.GetProperty("event").GetString() == "list");
        Assert.Equal(3, list.GetProperty("total").GetInt64());
        Assert.Equal(["3", "2"], list.GetProperty("documentIds").EnumerateArray().Select(e => e.GetString()));
        Assert.All(list.GetProperty("errorTypes").EnumerateArray(), e => Assert.Equal("mapper_parsing_exception", e.GetString()));
        Assert.All(list.GetProperty("states").EnumerateArray(), e => Assert.Equal("STATE_PENDING", e.GetString()));
        Assert.False(string.IsNullOrEmpty(list.GetProperty("next").GetString()));
        var stats = lines.Single(l => l.GetProperty("event").GetString() == "stats");
        Assert.Equal(3, stats.GetProperty("byState").GetProperty("pending").GetInt64());
        Assert.Equal(3, stats.GetProperty("byTable").GetProperty("public.products").GetInt64());
        Assert.Equal(3, stats.GetProperty("byErrorType").GetProperty("mapper_parsing_exception").GetInt64());
        Assert.Equal("closed", stats.GetProperty("breaker").GetString());
    }

    private static async Task<string> GenerateStubsAsync()
    {
        var protos = Path.Combine(AppContext.BaseDirectory, "Protos");
        var output = Directory.CreateTempSubdirectory("cdc-dlq-py-").FullName;
        var (exit, _, error) = await RunAsync("protoc",
        [
            "-I", protos, "-I", "/usr/include",
            "--python_out=" + output,
            "--grpc_out=" + output,
            "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin",
            Path.Combine(protos, "dlq.proto"),
        ]);
        return exit == 0 ? output : throw new InvalidOperationException($"protoc failed ({exit}): {error}. " +
            "Install: apt-get install -y python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc");
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
