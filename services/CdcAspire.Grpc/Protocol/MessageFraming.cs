using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace CdcAspire.Grpc.Protocol;

/// <summary>
/// Length-prefixed messages: <c>[compressed flag: 1 byte][length: 4 bytes big-endian][message]</c>. Messages are
/// sent uncompressed (identity); received messages may be identity or gzip, and are limited in size before any
/// byte of them is buffered, and again after decompression.
/// </summary>
public static class MessageFraming
{
    /// <summary>Serializes one message with its frame prefix.</summary>
    public static byte[] Frame(IMessage message, int? maxSendSize)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        if (size > maxSendSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted,
                $"Sending message exceeds the maximum configured message size ({size} > {maxSendSize} bytes).");
        }

        var frame = new byte[GrpcProtocol.FrameHeaderSize + size];
        frame[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)size);
        message.WriteTo(frame.AsSpan(GrpcProtocol.FrameHeaderSize));
        return frame;
    }

    /// <summary>
    /// Reads the next message, or returns null at a clean end of stream (no partial frame).
    /// </summary>
    /// <param name="encoding">The peer's <c>grpc-encoding</c>; null or identity means uncompressed.</param>
    /// <param name="unsupportedEncodingStatus">UNIMPLEMENTED on a server (spec), INTERNAL on a client.</param>
    public static async ValueTask<T?> ReadAsync<T>(
        Stream stream, MessageParser<T> parser, string? encoding, int maxReceiveSize,
        StatusCode unsupportedEncodingStatus, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parser);
        var header = new byte[GrpcProtocol.FrameHeaderSize];
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < header.Length)
        {
            throw new RpcException(StatusCode.Internal, "Incomplete message: the stream ended inside a frame header.");
        }

        var compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(StatusCode.Internal, $"Invalid compressed flag {header[0]} in a message frame."),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > (uint)maxReceiveSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted,
                $"Received message exceeds the maximum configured message size ({length} > {maxReceiveSize} bytes).");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            await stream.ReadExactlyAsync(buffer.AsMemory(0, (int)length), cancellationToken);
            if (!compressed)
            {
                return parser.ParseFrom(buffer.AsSpan(0, (int)length));
            }

            if (string.IsNullOrEmpty(encoding) || encoding == GrpcProtocol.Identity)
            {
                throw new RpcException(StatusCode.Internal, "A message is marked compressed but no grpc-encoding was sent.");
            }

            if (encoding != GrpcProtocol.Gzip)
            {
                throw new RpcException(unsupportedEncodingStatus,
                    $"Message compressed with '{encoding}', which is not supported; supported: {GrpcProtocol.SupportedEncodings}.");
            }

            return parser.ParseFrom(Gunzip(buffer, (int)length, maxReceiveSize));
        }
        catch (EndOfStreamException ex)
        {
            throw new RpcException(StatusCode.Internal, "Incomplete message: the stream ended inside a message.", null, ex);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, "A message could not be parsed as " + typeof(T).Name + ".", null, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Gunzip(byte[] buffer, int length, int maxReceiveSize)
    {
        using var input = new MemoryStream(buffer, 0, length, writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = gzip.Read(chunk, 0, chunk.Length)) > 0)
        {
            // Checked while inflating, so a small compressed message cannot expand into unbounded memory.
            if (output.Length + n > maxReceiveSize)
            {
                throw new RpcException(StatusCode.ResourceExhausted,
                    $"Received message exceeds the maximum configured message size after decompression (> {maxReceiveSize} bytes).");
            }

            output.Write(chunk, 0, n);
        }

        return output.ToArray();
    }
}
