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

    /// <summary>Waits until the gRPC port accepts connections (the service has started), failing with its output.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var port = int.Parse(GrpcTarget.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The consistency service exited ({_process.ExitCode}):\n{Output}");
            }

            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
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
