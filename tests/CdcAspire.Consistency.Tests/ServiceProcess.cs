using System.Collections.Concurrent;
using System.Diagnostics;
using CdcAspire.Testing;
using CdcAspire.Testing.Net;

namespace CdcAspire.Consistency.Tests;

/// <summary>The consistency service as a process, wired by environment variables as the AppHost wires it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, int grpcPort)
    {
        _process = process;
        GrpcTarget = $"127.0.0.1:{grpcPort}";
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string GrpcTarget { get; }

    public string Output => string.Join('\n', _output);

    public static ServiceProcess Start(IDictionary<string, string?> environment, string token)
    {
        var dll = Repository.BuiltAssembly("services/CdcAspire.Consistency", "CdcAspire.Consistency.dll");
        var grpcPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Cdc__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        start.Environment["Cdc__Api__Token"] = token;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(Process.Start(start)!, grpcPort);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
