using System.Collections.Concurrent;
using Grpc.Net.Client;

namespace CdcAspire.Metrics.Collectors.Services;

/// <summary>One gRPC channel per watched address for the life of the service (channels are meant to be reused).</summary>
internal sealed class ServiceChannels : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    public GrpcChannel For(string address) => _channels.GetOrAdd(address, a => GrpcChannel.ForAddress(a, new GrpcChannelOptions
    {
        // Status answers are small; a generous cap still stops a wrong peer from flooding the collector.
        MaxReceiveMessageSize = 16 * 1024 * 1024,
    }));

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }
}
