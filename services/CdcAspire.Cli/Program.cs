using OpenTelemetry.Trace;
using CdcAspire.Cli;

using var telemetry = Telemetry.Start();
var exitCode = await CliApp.RunAsync(args);
telemetry?.ForceFlush(2000);
return exitCode;
