using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CdcAspire.AppHost.Health;

/// <summary>
/// Healthy when the broker answers an ApiVersions request (the first request every Kafka client sends:
/// https://kafka.apache.org/protocol#The_Messages_ApiVersions) with error code 0. A real protocol exchange rather
/// than an open port, without loading librdkafka into the AppHost.
/// </summary>
public sealed class KafkaApiVersionsHealthCheck(Func<CancellationToken, ValueTask<string?>> bootstrapServers) : IHealthCheck
{
    private const short ApiVersionsKey = 18;
    private const int CorrelationId = 0x0cdc;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = await bootstrapServers(cancellationToken);
        var first = servers?.Split(',')[0].Trim();
        var colon = first?.LastIndexOf(':') ?? -1;
        if (first is null || colon <= 0 || !int.TryParse(first[(colon + 1)..], out var port))
        {
            return HealthCheckResult.Unhealthy("The Kafka connection string is not host:port yet.");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var client = new TcpClient();
            await client.ConnectAsync(first[..colon], port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Request(), timeout.Token);
            var header = new byte[10];
            await stream.ReadExactlyAsync(header, timeout.Token);
            var correlation = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
            var error = BinaryPrimitives.ReadInt16BigEndian(header.AsSpan(8));
            return correlation == CorrelationId && error == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"ApiVersions answered error {error}.");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Kafka is unreachable: " + ex.Message);
        }
    }

    /// <summary>ApiVersions v0: size, api key, api version, correlation id, client id (int16 length + bytes).</summary>
    public static byte[] Request()
    {
        var clientId = "cdcaspire-apphost"u8;
        var body = new byte[2 + 2 + 4 + 2 + clientId.Length];
        BinaryPrimitives.WriteInt16BigEndian(body, ApiVersionsKey);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(2), 0);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(4), CorrelationId);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(8), (short)clientId.Length);
        clientId.CopyTo(body.AsSpan(10));
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }
}
