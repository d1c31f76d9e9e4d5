using CdcAspire.Pipeline.Changes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CdcAspire.Pipeline.Kafka.Extensions;

/// <summary>Registers the Kafka (Debezium) change source, keyed <c>kafka</c> (<see cref="SourceNames.Kafka"/>).</summary>
public static class KafkaSourceServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="KafkaSourceOptions"/> from <c>Cdc:Kafka</c>, taking the bootstrap servers from
    /// <c>ConnectionStrings:kafka</c> when <c>Cdc:Kafka:BootstrapServers</c> is not set; registers the source as a
    /// keyed scoped <see cref="IChangeSource"/> (an instance is read once: the host opens a scope per run) and its
    /// settings check, which runs at start only when <c>Cdc:Source</c> selects this source. The source needs the
    /// pipeline's <see cref="Writing.DeadLetterWriter"/> (<c>AddCdcPipeline</c>) and metrics (<c>AddMetrics</c>, added here).
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
            });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaSourceOptions>, KafkaSourceOptionsValidator>());
        services.AddMetrics();
        services.TryAddKeyedScoped<IChangeSource, KafkaChangeSource>(SourceNames.Kafka);

        // Reading the options runs their validators: this is the check at start, for the selected source only.
        services.TryAddKeyedSingleton(SourceNames.Kafka, (sp, _) => new ChangeSourceSettings(
            () => _ = sp.GetRequiredService<IOptions<KafkaSourceOptions>>().Value));
        return services;
    }
}
