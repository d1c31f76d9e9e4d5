using CdcAspire.Consistency.Checking;
using CdcAspire.Consistency.Diagnostics;
using CdcAspire.Consistency.Documents;
using CdcAspire.Consistency.Options;
using CdcAspire.Consistency.Repair;
using CdcAspire.Consistency.Resync;
using CdcAspire.Consistency.Results;
using CdcAspire.Consistency.Rows;
using CdcAspire.Consistency.Scheduling;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Extensions;
using Microsoft.Extensions.Options;

namespace CdcAspire.Consistency.Extensions;

/// <summary>Registers the consistency service over the shared composition root (source database, Elasticsearch, re-read rule).</summary>
public static class ConsistencyExtensions
{
    /// <summary>The connection name (<c>ConnectionStrings:elasticsearch</c>).</summary>
    private const string ElasticsearchClientName = "elasticsearch";

    public static IHostApplicationBuilder AddConsistency(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddCdcSourceDatabase("appdb");
        builder.AddCdcElasticsearch(ElasticsearchClientName);
        builder.AddCdcCurrentStateWriter();

        var services = builder.Services;
        services.AddOptions<ConsistencyOptions>().Bind(builder.Configuration.GetSection(ConsistencyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsistencyOptions>, ConsistencyOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ConsistencyOptions>>().Value);

        // The reader needs the exact _source bytes: raw responses through the shared client's transport.
        services.AddSingleton(sp => new DocumentReader(sp.GetRequiredService<SearchClusterClient>()));
        services.AddSingleton<RowReader>();
        services.AddSingleton<SinkAcknowledgement>();
        services.AddSingleton<MergePass>();
        services.AddSingleton<Recheck>();
        services.AddSingleton<TableChecker>();
        services.AddSingleton<TableRepairer>();
        services.AddSingleton<ResultStore>();
        services.AddSingleton<ConsistencyMetrics>();
        services.AddSingleton<CheckRunner>();
        services.AddHostedService<ScheduledChecks>();
        services.AddSingleton<ResyncStore>();
        services.AddSingleton<KeyPages>();
        services.AddSingleton<ResyncRunner>();
        services.AddHostedService<ResyncRecovery>();
        return builder;
    }
}
