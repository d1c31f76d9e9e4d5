using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CdcAspire.Cli;

/// <summary>
/// Traces of the CLI's calls, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (as Aspire sets it),
/// so a <c>cdc</c> command and the service work it causes show as one trace in the dashboard. Without a listener the
/// gRPC client would create no span and send no <c>traceparent</c>.
/// </summary>
internal static class Telemetry
{
    public static TracerProvider? Start()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            return null;
        }

        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? "cdc-cli"))
            .AddSource("CdcAspire.*")
            // HttpClient's own activity: Grpc.Net.Client calls go through it, and it sends the traceparent.
            .AddSource("System.Net.Http")
            .AddOtlpExporter()
            .Build();
    }
}
