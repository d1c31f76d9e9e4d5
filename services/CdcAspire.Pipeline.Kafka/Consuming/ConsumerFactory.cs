using CdcAspire.Pipeline.Kafka.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>The consumer a <see cref="ConsumerSession"/> owns: its settings and its callbacks.</summary>
internal static class ConsumerFactory
{
    public static IConsumer<byte[]?, byte[]?> Create(KafkaSourceOptions options, RebalanceHandler rebalance, Action<Error> onError, ILogger logger)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig(new Dictionary<string, string>(options.Consumer, StringComparer.Ordinal))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            // Offsets are stored only when the pipeline acknowledges (StoreOffset), and librdkafka commits what
            // is stored every CommitInterval; revocation and close commit explicitly.
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = (int)Math.Max(1, options.CommitInterval.TotalMilliseconds),
            // Never jump over a committed offset that retention deleted: OnAssigned picks the start of partitions the
            // group never committed, and an out-of-range committed offset fails the run (StartOffsets).
            AutoOffsetReset = AutoOffsetReset.Error,
            EnablePartitionEof = false,
        };
        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => onError(error))
            .SetLogHandler((_, message) => OnLog(logger, message))
            .SetPartitionsAssignedHandler(rebalance.OnAssigned)
            .SetPartitionsRevokedHandler(rebalance.OnRevoked)
            .SetPartitionsLostHandler(rebalance.OnLost)
            .Build();
    }

    /// <summary>librdkafka logs with syslog levels: 0-3 (emergency..error) and 4 (warning) matter to an operator.</summary>
    private static void OnLog(ILogger logger, LogMessage message)
    {
        switch ((int)message.Level)
        {
            case <= 3:
                Log.KafkaLogError(logger, message.Facility, message.Message);
                break;
            case 4:
                Log.KafkaLogWarning(logger, message.Facility, message.Message);
                break;
            default:
                Log.KafkaLog(logger, message.Facility, message.Message);
                break;
        }
    }
}
