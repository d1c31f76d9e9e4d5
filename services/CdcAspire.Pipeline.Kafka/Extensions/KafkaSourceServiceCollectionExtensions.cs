using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CdcAspire.Pipeline.Kafka.Extensions;

/// <summary>Registers the Kafka (Debezium) change source.</summary>
public static class KafkaSourceServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="KafkaSourceOptions"/> from <c>Cdc:Kafka</c>, takes the bootstrap servers from
    /// <c>ConnectionStrings:kafka</c> when <c>Cdc:Kafka:BootstrapServers</c> is not set, and validates on start.
    /// The source itself is not registered: an instance is read once, so the host creates one per run
    /// (<c>ActivatorUtilities.CreateInstance&lt;KafkaChangeSource&gt;</c>), which needs an
    /// <see cref="Writing.DeadLetterWriter"/> and metrics (<c>AddMetrics</c>, added here).
    /// </summary>
    public static IServiceCollection AddKafkaChangeSource(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<KafkaSourceOptions>()
            .Bind(configuration.GetSection(KafkaSourceOptions.SectionName))
            .PostConfigure(options =>
            {
                if (string.IsNullOrWhiteSpace(options.BootstrapServers))
                {
                    options.BootstrapServers = configuration.GetConnectionString(KafkaSourceOptions.ConnectionStringName);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaSourceOptions>, KafkaSourceOptionsValidator>());
        services.AddMetrics();
        return services;
    }
}
