using Aspire.Hosting.ApplicationModel;

namespace CdcAspire.AppHost.Kafka;

/// <summary>
/// A connector registered on <see cref="Worker"/> from a file in <c>connectors/</c>. Not a process: its state in the
/// dashboard is the connector's state as Kafka Connect reports it (applied when the worker is ready, then polled).
/// </summary>
public sealed class ConnectorResource(string name, DebeziumConnectResource worker, string definitionPath)
    : Resource(name), IResourceWithParent<DebeziumConnectResource>, IResourceWithWaitSupport
{
    public DebeziumConnectResource Worker { get; } = worker;

    public DebeziumConnectResource Parent => Worker;

    /// <summary>The connector definition file (<c>{"name", "config"}</c>).</summary>
    public string DefinitionPath { get; } = definitionPath;

    /// <summary>Config values the model sets so the file's connector reaches this model's database.</summary>
    public IDictionary<string, string> Overrides { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
