using System.Collections.Concurrent;
using System.Diagnostics;
using CdcAspire.Testing;
using CdcAspire.Testing.Net;

namespace CdcAspire.Dlq.Tests.Infrastructure;

/// <summary>
/// A CdcAspire service as a separate process, wired only by environment variables as the AppHost wires it, with a
/// gRPC endpoint on <c>Cdc__Grpc__Port</c>. <see cref="Kill"/> is a SIGKILL.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, Uri grpc)
    {
        _process = process;
        Grpc = grpc;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Grpc { get; }

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    public static ServiceProcess StartDlq(IDictionary<string, string?> environment) =>
        Start(Repository.BuiltAssembly("services/CdcAspire.Dlq", "CdcAspire.Dlq.dll"), environment);

    private static ServiceProcess Start(string dll, IDictionary<string, string?> environment)
    {
        var http = FreePort.Next();
        var grpc = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{http}";
        start.Environment["Cdc__Grpc__Url"] = $"http://127.0.0.1:{grpc}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{grpc}"));
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }
}
