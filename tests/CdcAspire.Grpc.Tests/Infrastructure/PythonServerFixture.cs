using System.Collections.Concurrent;
using CdcAspire.Grpc.Client;

namespace CdcAspire.Grpc.Tests.Infrastructure;

/// <summary>A python3-grpcio server (interop_server.py) for our client; its stdout lines are events.</summary>
public sealed class PythonServerFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _events = new();
    private ProcessRunner _process = null!;
    private Task _pump = Task.CompletedTask;

    public Uri Address { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var stubs = await Python.StubDirectoryAsync();
        _process = ProcessRunner.Start(Python.Interpreter, [Python.Script("interop_server.py"), stubs]);
        var first = await _process.ReadLineAsync(TestTimeouts.Process)
            ?? throw new InvalidOperationException("The python server ended before printing its port: " + _process.StandardError);
        Address = new Uri("http://127.0.0.1:" + first["PORT ".Length..]);
        _pump = Task.Run(async () =>
        {
            while (await _process.ReadLineAsync(TimeSpan.FromHours(1)) is { } line)
            {
                Event(line).TrySetResult();
            }
        });
    }

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Address, options);

    /// <summary>Completes when the server printed exactly this line (e.g. "CANCELLED tag").</summary>
    public Task WhenPrinted(string line) => Event(line).Task.WaitAsync(TestTimeouts.Call);

    public async ValueTask DisposeAsync()
    {
        _process.CloseInput();
        await _process.WaitForExitAsync(TestTimeouts.Call);
        await _process.DisposeAsync();
        await _pump.WaitAsync(TestTimeouts.Call);
    }

    private TaskCompletionSource Event(string line) =>
        _events.GetOrAdd(line, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
