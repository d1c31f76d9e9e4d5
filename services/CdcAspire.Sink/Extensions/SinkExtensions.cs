using CdcAspire.Pipeline.Extensions;
using CdcAspire.Pipeline.Kafka.Extensions;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Resync;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.State;
using Microsoft.Extensions.Options;
using CdcAspire.Pipeline.Status;
using CdcAspire.Sink.Hosting;
using CdcAspire.Sink.Http;

namespace CdcAspire.Sink.Extensions;

/// <summary>Registration of the sink over the shared composition root: the pipeline, both sources (keyed), the host.</summary>
public static class SinkExtensions
{
    public static IHostApplicationBuilder AddSinkPipeline(this IHostApplicationBuilder builder)
    {
        // Aspire.Npgsql's data source first, so the composition root's TryAdd keeps it. Checked once at start: a
        // missing or malformed connection string stops the service with the key's name.
        builder.AddSinkDatabase("appdb");
        builder.AddCdcSourceDatabase("appdb");

        // Elasticsearch through Elastic.Clients.Elasticsearch (several nodes, cloud id, API key): see AddCdcElasticsearch.
        builder.AddCdcElasticsearch("elasticsearch");

        // Follows {Cdc:StateSchema}.resyncs: dual writes while the consistency service rebuilds an index (cdc resync).
        builder.Services.AddSingleton(sp => new ResyncFollower(
            sp.GetRequiredService<PostgresConnections>().DataSource, sp.GetRequiredService<IOptions<CdcOptions>>().Value.StateSchema,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<ResyncFollower>()));

        // The direct source keyed "postgres", the Kafka source keyed "kafka"; Cdc:Source picks one per run, and only
        // the picked one's settings are checked at start (the direct topology needs no ConnectionStrings:kafka).
        builder.AddCdcPipeline();
        builder.Services.AddKafkaChangeSource(builder.Configuration);

        builder.Services.AddHostedService<PipelineHost>();
        builder.Services.AddHealthChecks().AddCheck<PipelineHealthCheck>("pipeline");
        return builder;
    }

    public static WebApplication MapSinkApi(this WebApplication app)
    {
        // A plain JSON status for people and scripts; the gRPC API is the typed one.
        app.MapGet("/status", (PipelineStatus status) => Results.Json(StatusJson.From(status)));
        return app;
    }
}
