using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Extensions;
using CdcAspire.Pipeline.Kafka.Extensions;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Resync;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Writing;
using CdcAspire.Sink.Pipeline;
using Microsoft.Extensions.Options;

namespace CdcAspire.Sink.Extensions;

/// <summary>Registration of the sink: options, connections (as Aspire injects them), the pipeline host.</summary>
public static class SinkExtensions
{
    public static IHostApplicationBuilder AddSinkPipeline(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CdcOptions>().Bind(builder.Configuration.GetSection(CdcOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdcOptions>, CdcOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CdcOptions>>().Value);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PipelineStatus>();
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton<PipelineObserver>();

        // Checked once at start: a missing or malformed connection string stops the service with the key's name.
        builder.AddSinkDatabase("appdb");

        // Elasticsearch through Elastic.Clients.Elasticsearch (several nodes, cloud id, API key): see AddCdcElasticsearch.
        builder.AddCdcElasticsearch();
        services.AddSingleton(sp => new PostgresStateStore(
            sp.GetRequiredService<PostgresConnections>().DataSource, sp.GetRequiredService<CdcOptions>().StateSchema));
        services.AddSingleton<IDeadLetterStore>(sp => new PostgresDeadLetterStore(
            sp.GetRequiredService<PostgresConnections>().DataSource, sp.GetRequiredService<CdcOptions>().StateSchema));
        // One writer for every dead letter of this sink, the stream's and the Kafka decoder's alike.
        services.AddSingleton(sp => new DeadLetterWriter(
            sp.GetRequiredService<IDeadLetterStore>(), sp.GetRequiredService<PipelineObserver>(), sp.GetRequiredService<CdcOptions>().Writer,
            sp.GetRequiredService<ILogger<DeadLetterWriter>>(), DeadLetterNames.ParseSource(sp.GetRequiredService<CdcOptions>().Source)));
        // Follows {Cdc:StateSchema}.resyncs: dual writes while the consistency service rebuilds an index (cdc resync).
        services.AddSingleton(sp => new ResyncFollower(
            sp.GetRequiredService<PostgresConnections>().DataSource, sp.GetRequiredService<CdcOptions>().StateSchema,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("CdcAspire.Pipeline.Resync")));
        services.AddSingleton<IChangeSourceFactory, ChangeSourceFactory>();
        if (builder.Configuration[$"{CdcOptions.SectionName}:Source"] == "kafka")
        {
            // Registered only for the Kafka topology: its options are validated at start and need ConnectionStrings:kafka.
            services.AddKafkaChangeSource(builder.Configuration);
        }

        services.AddHostedService<PipelineHost>();
        services.AddHealthChecks().AddCheck<PipelineHealthCheck>("pipeline");
        return builder;
    }

    public static WebApplication MapSinkApi(this WebApplication app)
    {
        // A plain JSON status for people and scripts; the gRPC API (issue 3) is the typed one.
        app.MapGet("/status", (PipelineStatus status) => Results.Json(StatusView.From(status)));
        return app;
    }
}
