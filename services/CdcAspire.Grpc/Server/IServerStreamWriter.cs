namespace CdcAspire.Grpc.Server;

/// <summary>Writes the messages of a server-streaming response; each write is flushed to the caller.</summary>
public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
