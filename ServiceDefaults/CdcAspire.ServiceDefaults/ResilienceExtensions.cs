using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.ServiceDefaults;

/// <summary>
/// HttpClient defaults every service shares. Aspire's template uses Microsoft.Extensions.Http.Resilience, which
/// does not restore here; the pieces that matter for us are a bounded per-attempt timeout and no hidden retries:
/// callers that must never give up (the Elasticsearch writer) own their retry loop, with backoff and jitter, in
/// code that knows whether a request is idempotent.
/// </summary>
public static class ResilienceExtensions
{
    /// <summary>Default timeout for one HTTP attempt.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddHttpClientResilienceDefaults(this IServiceCollection services)
    {
        services.AddHttpClient();
        services.ConfigureHttpClientDefaults(http =>
            http.ConfigureHttpClient(client => client.Timeout = DefaultAttemptTimeout));
        return services;
    }
}
