using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CdcAspire.KafkaConnect.Extensions;

/// <summary>Registers <see cref="KafkaConnectClient"/> (for the CLI's <c>cdc connector</c> commands and the AppHost).</summary>
public static class KafkaConnectServiceCollectionExtensions
{
    /// <summary>Binds <see cref="KafkaConnectClientOptions"/> from <c>Cdc:KafkaConnect</c> (Url = the worker's REST endpoint).</summary>
    public static IServiceCollection AddKafkaConnectClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KafkaConnectClientOptions>()
            .Bind(configuration.GetSection(KafkaConnectClientOptions.SectionName))
            .Validate(o => o.Url is { IsAbsoluteUri: true }, $"{KafkaConnectClientOptions.SectionName}:Url must be the absolute URL of a Kafka Connect worker, e.g. http://localhost:8083.")
            .Validate(o => o.MaxAttempts >= 1, $"{KafkaConnectClientOptions.SectionName}:MaxAttempts must be at least 1.");
        services.AddHttpClient<KafkaConnectClient>((sp, http) => http.BaseAddress = sp.GetRequiredService<IOptions<KafkaConnectClientOptions>>().Value.Url)
            .AddTypedClient((http, sp) => new KafkaConnectClient(
                http,
                sp.GetRequiredService<ILogger<KafkaConnectClient>>(),
                sp.GetRequiredService<IOptions<KafkaConnectClientOptions>>().Value));
        return services;
    }
}
