using System.Text.Json;

namespace CdcAspire.Grpc.Tests.Infrastructure;

/// <summary>
/// Debian's python3-grpcio as the third-party implementation. Stubs are generated once per test run with
/// protoc + grpc_python_plugin from the same .proto files the C# side compiles.
/// Needs: apt-get install -y python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc.
/// </summary>
internal static class Python
{
    /// <summary>Debian's interpreter: the python3 first on PATH may be another one without grpc.</summary>
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<Task<string>> Stubs = new(GenerateStubsAsync);

    public static Task<string> StubDirectoryAsync() => Stubs.Value;

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Python", name);

    /// <summary>Runs one client case of interop_client.py and returns its JSON lines.</summary>
    public static async Task<List<JsonElement>> RunClientAsync(string target, string testCase, string? token = null)
    {
        var stubs = await StubDirectoryAsync();
        List<string> args = [Script("interop_client.py"), stubs, target, testCase];
        if (token is not null)
        {
            args.Add(token);
        }

        await using var process = ProcessRunner.Start(Interpreter, args);
        var (exitCode, output) = await process.WaitForExitAsync(TestTimeouts.Process);
        Assert.True(exitCode == 0, $"python exited with {exitCode}: {process.StandardError}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
    }

    private static async Task<string> GenerateStubsAsync()
    {
        var protos = Path.Combine(AppContext.BaseDirectory, "Protos");
        var output = Directory.CreateTempSubdirectory("cdc-grpc-py-").FullName;
        await using var protoc = ProcessRunner.Start("protoc",
        [
            "-I", protos,
            "--python_out=" + output,
            "--grpc_out=" + output,
            "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin",
            Path.Combine(protos, "health.proto"),
            Path.Combine(protos, "interop.proto"),
        ]);
        var (exitCode, _) = await protoc.WaitForExitAsync(TestTimeouts.Process);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"protoc failed ({exitCode}): {protoc.StandardError}. " +
                "Install: apt-get install -y python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc");
        }

        return output;
    }
}
