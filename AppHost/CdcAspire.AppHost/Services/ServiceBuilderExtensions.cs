using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Kafka;

namespace CdcAspire.AppHost.Services;

/// <summary>
/// The four services with the environment they read (the same keys as README's configuration table): connection
/// strings, <c>Cdc:*</c>, the gRPC endpoint, the API token, OpenTelemetry to the dashboard (AddProject's default).
/// </summary>
public static class ServiceBuilderExtensions
{
    public const string SinkName = "sink";
    public const string DlqName = "dlq";
    public const string ConsistencyName = "consistency";
    public const string MetricsName = "metrics";
    public const string GrpcEndpointName = "grpc";

    /// <summary>The services' gRPC port setting (<c>Cdc:Grpc:Port</c>): Aspire puts the endpoint's target port in it.</summary>
    public const string GrpcPortVariable = "Cdc__Grpc__Port";
    public const string ApiTokenVariable = "Cdc__Api__Token";

    /// <summary>Host ports of the gRPC endpoints; the http ones come from each project's launch profile (port - 1).</summary>
    public static readonly IReadOnlyDictionary<string, int> GrpcPorts = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [SinkName] = 5081,
        [DlqName] = 5091,
        [ConsistencyName] = 5101,
        [MetricsName] = 5111,
    };

    public static CdcServices AddCdcServices(
        this IDistributedApplicationBuilder builder, AppHostSettings settings, ServiceDependencies dependencies,
        IResourceBuilder<ParameterResource> apiToken, ConnectorSettings connector)
    {
        var sink = builder.AddProject<Projects.CdcAspire_Sink>(SinkName)
            .WithCdcDefaults(SinkName, settings, apiToken, connector)
            .WithStores(dependencies, dependencies.StartAfter.Concat(dependencies.SinkStartsAfter));
        if (dependencies.Kafka is { } kafka)
        {
            sink.WithReference(kafka).WithEnvironment("Cdc__Kafka__TopicPrefix", connector.TopicPrefix);
        }

        var dlq = builder.AddProject<Projects.CdcAspire_Dlq>(DlqName)
            .WithCdcDefaults(DlqName, settings, apiToken, connector)
            .WithStores(dependencies, dependencies.StartAfter);

        // Resync writes a new index while the sink keeps writing: it talks to the sink.
        var consistency = builder.AddProject<Projects.CdcAspire_Consistency>(ConsistencyName)
            .WithCdcDefaults(ConsistencyName, settings, apiToken, connector)
            .WithStores(dependencies, dependencies.StartAfter)
            .WithReference(sink);

        // The metrics service watches everything from outside, so it starts without waiting: a down database or
        // sink is what it is there to report. It finds the services by service discovery (services__<name>__grpc__0).
        var metrics = builder.AddProject<Projects.CdcAspire_Metrics>(MetricsName)
            .WithCdcDefaults(MetricsName, settings, apiToken, connector)
            .WithReference(dependencies.Database)
            .WithReference(dependencies.Elasticsearch)
            .WithReference(sink)
            .WithReference(dlq)
            .WithReference(consistency);
        if (dependencies.Kafka is { } kafkaForMetrics)
        {
            metrics.WithReference(kafkaForMetrics);
        }

        return new CdcServices(sink, dlq, consistency, metrics);
    }

    private static IResourceBuilder<ProjectResource> WithCdcDefaults(
        this IResourceBuilder<ProjectResource> project, string name, AppHostSettings settings,
        IResourceBuilder<ParameterResource> apiToken, ConnectorSettings connector)
    {
        project
            // gRPC over cleartext is HTTP/2 with prior knowledge, on its own port next to the HTTP/1.1 one.
            .WithHttpEndpoint(port: GrpcPorts[name], name: GrpcEndpointName, env: GrpcPortVariable)
            .WithEndpoint(GrpcEndpointName, e => e.Transport = "http2")
            .WithHttpHealthCheck("/health")
            .WithEnvironment(ApiTokenVariable, apiToken)
            .WithEnvironment("Cdc__Source", settings.Topology == Topology.Kafka ? "kafka" : "postgres")
            .WithEnvironment("Cdc__DebeziumSlotName", connector.SlotName);
        foreach (var (table, index) in settings.Tables)
        {
            // Environment variables set by the AppHost may contain '.', unlike ones typed in bash.
            project.WithEnvironment($"Cdc__Tables__{table}__Index", index);
        }

        if (project.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            // Run from the project folder, where the relative default (index-templates) does not exist; a published
            // image has the templates next to the binary, where the default finds them.
            project.WithEnvironment("Cdc__IndexTemplatesPath", Path.GetFullPath(Path.Combine(project.ApplicationBuilder.AppHostDirectory, "..", "..", "index-templates")));
        }

        return project;
    }

    private static IResourceBuilder<ProjectResource> WithStores(
        this IResourceBuilder<ProjectResource> project, ServiceDependencies dependencies, IEnumerable<IResourceBuilder<IResource>> waitFor)
    {
        project.WithReference(dependencies.Database).WithReference(dependencies.Elasticsearch);
        foreach (var dependency in waitFor)
        {
            project.WaitFor(dependency);
        }

        return project;
    }
}

/// <summary>The four service resources.</summary>
public sealed record CdcServices(
    IResourceBuilder<ProjectResource> Sink,
    IResourceBuilder<ProjectResource> Dlq,
    IResourceBuilder<ProjectResource> Consistency,
    IResourceBuilder<ProjectResource> Metrics);
