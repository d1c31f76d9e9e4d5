using CdcAspire.KafkaConnect;

namespace CdcAspire.AppHost.Kafka;

/// <summary>The values the sink must agree on with the Debezium connector, read from its file in <c>connectors/</c>.</summary>
public sealed record ConnectorSettings(string Path, string Name, string TopicPrefix, string SlotName)
{
    public const string DefaultFile = "postgres-source.json";

    public static ConnectorSettings Load(string path)
    {
        var definition = ConnectorDefinition.Parse(File.ReadAllText(path));
        return new ConnectorSettings(
            path,
            definition.Name,
            definition.Config.TryGetValue("topic.prefix", out var prefix) ? prefix : throw new InvalidOperationException($"{path} has no topic.prefix."),
            definition.Config.TryGetValue("slot.name", out var slot) ? slot : "debezium");
    }
}
