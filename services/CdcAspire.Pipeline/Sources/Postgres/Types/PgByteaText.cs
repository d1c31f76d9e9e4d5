using System.Buffers;
using System.Text.Json;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>bytea in hex output (<c>\x0102ff</c>) to a base64 JSON string (<c>"AQL/"</c>).</summary>
internal static class PgByteaText
{
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<char> text)
    {
        if (!text.StartsWith(@"\x", StringComparison.Ordinal) || (text.Length & 1) != 0)
        {
            throw new FormatException(
                "A bytea value is not in hex format (\\x...). Set bytea_output=hex on the source connection.");
        }

        var hex = text[2..];
        var length = hex.Length / 2;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (Convert.FromHexString(hex, rented, out _, out var written) != OperationStatus.Done)
            {
                throw new FormatException("A bytea value has a non-hex character after \\x.");
            }

            writer.WriteBase64StringValue(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
