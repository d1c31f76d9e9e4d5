using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CdcAspire.ServiceDefaults;

/// <summary>
/// What every CdcAspire service gets, in the shape of Aspire's ServiceDefaults template: OpenTelemetry (exported over
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, as the AppHost does), service discovery
/// (<c>services__&lt;name&gt;__&lt;endpoint&gt;__0</c>), the standard resilience handler on ordinary HttpClients, and
/// the health endpoints.
/// </summary>
public static class Extensions
{
    /// <summary>Liveness: the process answers. Readiness (<c>/health</c>) also runs the other checks.</summary>
    public const string AlivenessPath = "/alive";

    /// <summary>Readiness: every registered health check passes.</summary>
    public const string HealthPath = "/health";

    /// <summary>Tag for checks that only tell whether the process is alive.</summary>
    public const string LiveTag = "live";

    /// <summary>Every CdcAspire meter and activity source starts with this prefix.</summary>
    public const string CdcAspirePrefix = "CdcAspire.";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        // Npgsql logs every executed command (Npgsql.Command) and every pool wait (Npgsql.Connection) at Information:
        // lines per query, and the services poll (resync follower, DLQ, metrics). Kept at Warning unless the
        // configuration names the category (Logging:LogLevel:Npgsql=Debug to see them while debugging); a more
        // specific configured category (Npgsql.Command) still wins over this rule.
        if (builder.Configuration["Logging:LogLevel:Npgsql"] is null)
        {
            builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        }

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Ordinary clients retry blindly with backoff, a circuit breaker and timeouts. A client that owns its
            // retries (the Elasticsearch bulk path) removes this with RemoveAllResilienceHandlers(), so a request
            // is never retried twice over and no resilience timeout is shorter than the request's own.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql")
                .AddMeter(CdcAspirePrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("Npgsql")
                .AddSource(CdcAspirePrefix + "*")
                .AddAspNetCoreInstrumentation(aspnet =>
                    // Health probes every few seconds are noise in the dashboard's traces.
                    aspnet.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthPath, StringComparison.Ordinal)
                        && !context.Request.Path.StartsWithSegments(AlivenessPath, StringComparison.Ordinal))
                .AddHttpClientInstrumentation());

        // Without an endpoint nothing is exported: a service run by hand does not try to reach a collector.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>Maps <c>/health</c> and <c>/alive</c>. Both are anonymous and reveal only a status word.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath);
        app.MapHealthChecks(AlivenessPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        return app;
    }
}
