using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CdcAspire.ServiceDefaults;

/// <summary>
/// OpenTelemetry wiring. The OTLP exporter reads <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>_PROTOCOL</c> and
/// <c>_HEADERS</c> itself; the resource reads <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c>.
/// Those are exactly the variables the Aspire AppHost injects into a project, so nothing here is Aspire-specific.
/// Without an endpoint nothing is exported (a service run by hand does not try to reach a collector).
/// </summary>
public static class OpenTelemetryExtensions
{
    /// <summary>Meters and sources of the framework and libraries we use; ours are added by each service.</summary>
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
        "Npgsql",
    ];

    private static readonly string[] FrameworkSources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql"];

    /// <summary>Every CdcAspire meter and activity source starts with this prefix.</summary>
    public const string CdcAspirePrefix = "CdcAspire.";

    public static IHostApplicationBuilder ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        void ConfigureResource(ResourceBuilder r) => r.AddService(serviceName).AddEnvironmentVariableDetector();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            var resource = ResourceBuilder.CreateDefault();
            ConfigureResource(resource);
            logging.SetResourceBuilder(resource);
            if (exportOtlp)
            {
                logging.AddOtlpExporter();
            }
        });

        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder()
                .ConfigureResource(ConfigureResource)
                .AddSource(FrameworkSources)
                .AddSource(CdcAspirePrefix + "*");
            if (exportOtlp)
            {
                tracing.AddOtlpExporter();
            }

            return tracing.Build();
        });

        builder.Services.AddSingleton(_ =>
        {
            var metrics = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(ConfigureResource)
                .AddMeter(FrameworkMeters)
                .AddMeter(CdcAspirePrefix + "*");
            if (exportOtlp)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 5000);
            }

            return metrics.Build();
        });

        // The providers must exist for the whole life of the host: a hosted service resolves them at start.
        builder.Services.AddHostedService<TelemetryProvidersHost>();
        return builder;
    }

    private sealed class TelemetryProvidersHost(TracerProvider tracer, MeterProvider meter) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            tracer.ForceFlush(2000);
            meter.ForceFlush(2000);
            return Task.CompletedTask;
        }
    }
}
