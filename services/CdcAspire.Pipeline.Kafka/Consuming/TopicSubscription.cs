using System.Globalization;
using Confluent.Kafka;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>What the consumer subscribes to: the listed topics, the pattern, or every topic under the prefix.</summary>
internal static class TopicSubscription
{
    /// <summary>Subscribes <paramref name="client"/> and returns the subscription as text, for the log.</summary>
    public static string Subscribe(IConsumer<byte[]?, byte[]?> client, KafkaSourceOptions options)
    {
        if (options.Topics.Count > 0)
        {
            client.Subscribe(options.Topics);
            return string.Join(',', options.Topics);
        }

        var pattern = options.TopicPattern ?? "^" + EscapeRegex(options.TopicPrefix!) + "\\..*";
        client.Subscribe(pattern);
        return pattern;
    }

    /// <summary>Escapes a literal topic prefix for librdkafka's POSIX-style regular expressions.</summary>
    private static string EscapeRegex(string literal) =>
        string.Concat(literal.Select(c => "\\^$.|?*+()[]{}".Contains(c, StringComparison.Ordinal)
            ? "\\" + c.ToString(CultureInfo.InvariantCulture)
            : c.ToString(CultureInfo.InvariantCulture)));
}
