using CdcAspire.Dlq.Breaker;
using CdcAspire.Dlq.Diagnostics;
using CdcAspire.Dlq.Grpc;
using CdcAspire.Dlq.Notifications;
using CdcAspire.Dlq.Options;
using CdcAspire.Dlq.Replay;
using CdcAspire.Dlq.Retry;
using CdcAspire.Dlq.Store;
using CdcAspire.Pipeline.Extensions;
using Microsoft.Extensions.Options;

namespace CdcAspire.Dlq.Extensions;

/// <summary>Registration of the dead-letter service over the shared composition root.</summary>
public static class DlqExtensions
{
    /// <summary>
    /// The source database, Elasticsearch and the re-read rule (<see cref="CdcHostingExtensions"/>), the <c>Dlq</c>
    /// options, the store, replay, breaker, automatic retry, the NOTIFY listener and the metrics.
    /// </summary>
    public static IHostApplicationBuilder AddDlq(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddCdcSourceDatabase("appdb");
        builder.AddCdcElasticsearch("elasticsearch");
        builder.AddCdcCurrentStateWriter();

        var services = builder.Services;
        services.AddOptions<DlqOptions>().Bind(builder.Configuration.GetSection(DlqOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DlqOptions>, DlqOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<DeadLetterReader>();
        services.AddSingleton<DeadLetterUpdater>();
        services.AddSingleton<DeadLetterSignal>();
        services.AddSingleton<ElasticsearchBreaker>();
        services.AddSingleton<ErrorClasses>();
        services.AddSingleton<RetrySchedule>();
        services.AddSingleton<DlqMetrics>();
        services.AddSingleton<Replayer>();
        services.AddHostedService<SchemaMigration>();
        services.AddHostedService<DeadLetterListener>();
        services.AddHostedService<AutomaticRetry>();
        services.AddHostedService<StatsRefresher>();
        return builder;
    }

    public static WebApplication MapDlqGrpc(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<DlqGrpcService>();
        return app;
    }
}
