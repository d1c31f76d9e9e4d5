using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Kafka;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.State;
using CdcAspire.Pipeline.Status;

namespace CdcAspire.Sink.Hosting;

/// <summary>Picks the source named by <c>Cdc:Source</c>.</summary>
public sealed class ChangeSourceFactory(IServiceProvider services, CdcOptions options) : IChangeSourceFactory
{
    public IChangeSource Create() => options.Source switch
    {
        "postgres" => new PostgresChangeSource(
            services.GetRequiredService<PostgresConnections>(),
            services.GetRequiredService<PostgresStateStore>(),
            options,
            services.GetRequiredService<PipelineStatus>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<PostgresChangeSource>()),
        "kafka" => ActivatorUtilities.CreateInstance<KafkaChangeSource>(services),
        _ => throw new InvalidOperationException($"Cdc:Source '{options.Source}' is not available in this build."),
    };
}
