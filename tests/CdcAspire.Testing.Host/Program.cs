using System.Runtime.InteropServices;
using CdcAspire.Testing.Elasticsearch;

// Usage: dotnet CdcAspire.Testing.Host.dll --port 9200 [--user elastic --password ...]. Ctrl+C or SIGTERM stops it.
using var stop = new CancellationTokenSource();

// Handle the signals ourselves (ctx.Cancel) so the server is disposed by Main, not during runtime shutdown.
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await ElasticsearchTestServer.RunAsync(args, stop.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
