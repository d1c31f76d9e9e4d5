using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CdcAspire.ServiceDefaults;

/// <summary>
/// What every CdcAspire service gets, the way Aspire's ServiceDefaults template gives it: OpenTelemetry over OTLP
/// configured by the standard <c>OTEL_*</c> variables, health endpoints, and HttpClient resilience defaults.
/// Built only from packages that restore without nuget.org's full catalogue (no OpenTelemetry.Extensions.Hosting),
/// so the providers are created with the SDK builders and owned by the host.
/// </summary>
public static class Extensions
{
    /// <summary>Liveness: the process answers. Readiness (<c>/health</c>) also runs the "ready" checks.</summary>
    public const string AlivenessPath = "/alive";

    /// <summary>Readiness: every registered health check passes.</summary>
    public const string HealthPath = "/health";

    /// <summary>Tag for checks that only tell whether the process is alive.</summary>
    public const string LiveTag = "live";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddHttpClientResilienceDefaults();
        return builder;
    }

    public static IHostApplicationBuilder AddDefaultHealthChecks(this IHostApplicationBuilder builder)
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
