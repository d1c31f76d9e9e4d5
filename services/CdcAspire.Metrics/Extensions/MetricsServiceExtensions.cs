using CdcAspire.KafkaConnect;
using CdcAspire.Metrics.Collectors;
using CdcAspire.Metrics.Collectors.Elasticsearch;
using CdcAspire.Metrics.Collectors.Kafka;
using CdcAspire.Metrics.Collectors.Postgres;
using CdcAspire.Metrics.Collectors.Services;
using CdcAspire.Metrics.Diagnostics;
using CdcAspire.Metrics.Grpc;
using CdcAspire.Metrics.Options;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;

namespace CdcAspire.Metrics.Extensions;

/// <summary>
/// Registration of the metrics service: options (with the addresses Aspire injects as defaults), the probes, the
/// collector, the instruments with the Prometheus exporter, and the gRPC API.
/// </summary>
public static class MetricsServiceExtensions
{
    /// <summary>The Prometheus scrape path on the service's HTTP endpoint.</summary>
    public const string ScrapePath = "/metrics";

    public static WebApplicationBuilder AddChainMetrics(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<MetricsOptions>()
            .Bind(configuration.GetSection(MetricsOptions.SectionName))
            .PostConfigure(o => ApplyDefaults(o, configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChainState>();
        services.AddSingleton<ChainInstruments>();
        services.AddSingleton<ServiceChannels>();
        services.AddSingleton<WalClock>();
        services.AddHostedService<ChainCollector>();

        AddPostgres(services, configuration.GetConnectionString("appdb"));
        AddServiceProbes(services);
        AddElasticsearch(services, configuration.GetConnectionString("elasticsearch"));
        AddKafkaConnect(services, configuration);
        var kafka = configuration.GetConnectionString("kafka") ?? configuration["Cdc:Kafka:BootstrapServers"];
        services.AddSingleton<IChainProbe>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<MetricsOptions>>().Value;
            return new ConsumerLagProbe(kafka, o.ConsumerGroups, o.ProbeTimeout, sp.GetRequiredService<ILogger<ConsumerLagProbe>>());
        });

        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapChainMetrics(this WebApplication app)
    {
        // Created before the first scrape so the instruments exist from the start.
        _ = app.Services.GetRequiredService<ChainInstruments>();
        app.MapPrometheusScrapingEndpoint(ScrapePath);
        app.MapGrpcService<MetricsGrpcService>();
        return app;
    }

    /// <summary>The addresses Aspire injects (services__sink__grpc__0, ...) and the sink's own keys, when not set under Metrics.</summary>
    private static void ApplyDefaults(MetricsOptions o, ConfigurationManager configuration)
    {
        if (o.Sinks.Count == 0 && configuration["services:sink:grpc:0"] is { Length: > 0 } sink)
        {
            o.Sinks.Add(sink);
        }

        o.Dlq ??= configuration["services:dlq:grpc:0"];
        o.Consistency ??= configuration["services:consistency:grpc:0"];
        o.Publication ??= configuration["Cdc:PublicationName"] ?? "cdcaspire";
        if (o.ConsumerGroups.Count == 0)
        {
            o.ConsumerGroups.Add(configuration["Cdc:Kafka:GroupId"] ?? "cdc-aspire-sink");
        }

        if (o.Slots.Count == 0)
        {
            o.Slots.Add(configuration["Cdc:SlotName"] ?? "cdcaspire");
        }
    }

    private static void AddPostgres(IServiceCollection services, string? connectionString)
    {
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton(_ =>
            {
                var csb = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "cdcaspire-metrics" };
                return NpgsqlDataSource.Create(csb);
            });
        }

        services.AddSingleton<IChainProbe>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<MetricsOptions>>().Value;
            var dataSource = sp.GetService<NpgsqlDataSource>();
            return new PostgresProbe(
                dataSource is null ? null : new PostgresReader(dataSource),
                new PostgresTargets(o.Slots, o.Publication!, o.LagDegradedSeconds),
                sp.GetRequiredService<WalClock>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PostgresProbe>>());
        });
    }

    private static void AddServiceProbes(IServiceCollection services)
    {
        services.AddSingleton<IChainProbe>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<MetricsOptions>>().Value;
            return new SinkProbe(o.Sinks, sp.GetRequiredService<ServiceChannels>(), o.ProbeTimeout,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SinkProbe>>());
        });
        services.AddSingleton<IChainProbe>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<MetricsOptions>>().Value;
            return new DlqProbe(o.Dlq, sp.GetRequiredService<ServiceChannels>(), o.ProbeTimeout, o.DlqDegradedPending,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DlqProbe>>());
        });
        services.AddSingleton<IChainProbe>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<MetricsOptions>>().Value;
            return new ConsistencyProbe(o.Consistency, sp.GetRequiredService<ServiceChannels>(), o.ProbeTimeout,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConsistencyProbe>>());
        });
    }

    private static void AddElasticsearch(IServiceCollection services, string? connectionString)
    {
        // Parsed here, at start: a malformed value stops the service with the key's name (never the value).
        var endpoint = ElasticsearchStats.ParseConnectionString(connectionString);
        if (endpoint is { } e)
        {
            services.AddHttpClient(ElasticsearchProbe.ComponentName, (sp, http) =>
                http.Timeout = sp.GetRequiredService<IOptions<MetricsOptions>>().Value.ProbeTimeout);
        }

        services.AddSingleton<IChainProbe>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<MetricsOptions>>().Value;
            var stats = endpoint is { } e2
                ? new ElasticsearchStats(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ElasticsearchProbe.ComponentName), e2.BaseAddress, e2.Authorization)
                : null;
            return new ElasticsearchProbe(stats, o.Indices, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ElasticsearchProbe>>());
        });
    }

    private static void AddKafkaConnect(IServiceCollection services, ConfigurationManager configuration)
    {
        var url = configuration[KafkaConnectClientOptions.SectionName + ":Url"];
        if (!string.IsNullOrWhiteSpace(url))
        {
            services.AddHttpClient(KafkaConnectProbe.ComponentName, (sp, http) =>
            {
                http.BaseAddress = new Uri(url.TrimEnd('/') + "/");
                http.Timeout = sp.GetRequiredService<IOptions<MetricsOptions>>().Value.ProbeTimeout;
            });
        }

        services.AddSingleton<IChainProbe>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<MetricsOptions>>().Value;
            HttpClient? http = null;
            KafkaConnectClient? client = null;
            if (!string.IsNullOrWhiteSpace(url))
            {
                http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(KafkaConnectProbe.ComponentName);
                // One attempt: a probe reports what it sees now; the next reading is the retry.
                client = new KafkaConnectClient(http, sp.GetRequiredService<ILogger<KafkaConnectClient>>(),
                    new KafkaConnectClientOptions { Url = http.BaseAddress, MaxAttempts = 1 });
            }

            return new KafkaConnectProbe(client, http, o.Connectors, sp.GetRequiredService<ILogger<KafkaConnectProbe>>());
        });
    }
}
