using CdcAspire.Pipeline.Changes;
using Microsoft.Extensions.Options;

namespace CdcAspire.Pipeline.Kafka;

/// <summary>Checks <see cref="KafkaSourceOptions"/> at start; each message names the key and the fix.</summary>
public sealed class KafkaSourceOptionsValidator : IValidateOptions<KafkaSourceOptions>
{
    /// <summary>Consumer properties the source owns: overriding them would break acknowledgement ordering.</summary>
    internal static readonly string[] ReservedConsumerKeys =
        ["enable.auto.offset.store", "enable.auto.commit", "group.id", "bootstrap.servers", "auto.commit.interval.ms", "auto.offset.reset"];

    private const string Section = KafkaSourceOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, KafkaSourceOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            failures.Add($"ConnectionStrings:{KafkaSourceOptions.ConnectionStringName} is not set: set it (env ConnectionStrings__kafka=host:port) or {Section}:BootstrapServers to the Kafka bootstrap servers.");
        }

        var selectors = (options.Topics.Count > 0 ? 1 : 0) + (string.IsNullOrWhiteSpace(options.TopicPrefix) ? 0 : 1) +
                        (string.IsNullOrWhiteSpace(options.TopicPattern) ? 0 : 1);
        if (selectors != 1)
        {
            failures.Add($"Set exactly one of {Section}:Topics, {Section}:TopicPrefix (the connector's topic.prefix) or {Section}:TopicPattern; {selectors} are set.");
        }

        if (options.TopicPattern is { Length: > 0 } pattern && !pattern.StartsWith('^'))
        {
            failures.Add($"{Section}:TopicPattern '{pattern}' must start with '^' (librdkafka treats only such names as regular expressions).");
        }

        if (string.IsNullOrWhiteSpace(options.GroupId))
        {
            failures.Add($"{Section}:GroupId is empty: set a consumer group id shared by all sink instances.");
        }

        foreach (var table in options.Tables)
        {
            if (string.IsNullOrWhiteSpace(table))
            {
                failures.Add($"{Section}:Tables contains an empty entry: use schema.table names.");
            }
        }

        Positive(failures, nameof(options.CommitInterval), options.CommitInterval);
        Positive(failures, nameof(options.RevocationFlushTimeout), options.RevocationFlushTimeout);
        Positive(failures, nameof(options.PollTimeout), options.PollTimeout);
        if (options.AutoOffsetReset is not ("earliest" or "latest"))
        {
            failures.Add($"{Section}:AutoOffsetReset '{options.AutoOffsetReset}' must be 'earliest' or 'latest'.");
        }

        if (string.IsNullOrEmpty(options.UnavailableValuePlaceholder))
        {
            failures.Add($"{Section}:UnavailableValuePlaceholder is empty: set it to the connector's unavailable.value.placeholder.");
        }

        foreach (var key in options.Consumer.Keys.Intersect(ReservedConsumerKeys, StringComparer.Ordinal))
        {
            failures.Add($"{Section}:Consumer:{key} is managed by the source (offsets are stored only after acknowledgement); remove it.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:{key} must be a positive duration (e.g. 00:00:05), got {value}.");
        }
    }

    internal static void ThrowIfInvalid(KafkaSourceOptions options)
    {
        var result = new KafkaSourceOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new PipelineException("Kafka source configuration is invalid: " + result.FailureMessage, isTransient: false);
        }
    }
}
