using Aspire.Hosting.ApplicationModel;

namespace CdcAspire.AppHost.Services;

/// <summary>What the services connect to, as the model built it (containers or existing servers, one topology).</summary>
/// <param name="Database">Injected as <c>ConnectionStrings__appdb</c>.</param>
/// <param name="Elasticsearch">Injected as <c>ConnectionStrings__elasticsearch</c>.</param>
/// <param name="Kafka">Kafka topology only: <c>ConnectionStrings__kafka</c> (the sink's bootstrap servers).</param>
/// <param name="StartAfter">Resources the sink, DLQ and consistency services wait for (healthy) before they start.</param>
/// <param name="SinkStartsAfter">Extra resources only the sink waits for (the Debezium connector).</param>
public sealed record ServiceDependencies(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Elasticsearch,
    IResourceBuilder<IResourceWithConnectionString>? Kafka,
    IReadOnlyList<IResourceBuilder<IResource>> StartAfter,
    IReadOnlyList<IResourceBuilder<IResource>> SinkStartsAfter);
