using CdcAspire.Testing.Net;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace CdcAspire.Testing.Processes;

/// <summary>
/// Runs the sink service as a separate process, configured only through environment variables exactly as the
/// Aspire AppHost injects them (<c>ConnectionStrings__appdb</c>, <c>ConnectionStrings__elasticsearch</c>,
/// <c>Cdc__...</c>). Output is kept for assertions; <see cref="Kill"/> is a SIGKILL.
/// </summary>
public sealed class SinkProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SinkProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The service's HTTP address (health, /status).</summary>
    public Uri Address { get; }

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    public static SinkProcess Start(IDictionary<string, string?> environment)
    {
        var dll = FindSinkAssembly();
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new SinkProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits for a graceful exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>The sink's build output, next to this repository's tests (same configuration).</summary>
    public static string FindSinkAssembly() => Repository.BuiltAssembly("services/CdcAspire.Sink", "CdcAspire.Sink.dll");

}
