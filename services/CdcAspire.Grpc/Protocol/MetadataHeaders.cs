namespace CdcAspire.Grpc.Protocol;

/// <summary>Converts <see cref="Metadata"/> to and from HTTP header values (binary values as base64).</summary>
public static class MetadataHeaders
{
    /// <summary>Adds one header value to metadata; reserved protocol headers are skipped.</summary>
    public static void AddHeader(Metadata metadata, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (GrpcProtocol.IsReservedHeader(name))
        {
            return;
        }

        if (Metadata.IsBinaryKey(name.ToLowerInvariant()))
        {
            // Several binary values may arrive comma-joined; each is base64, padded or not.
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                metadata.Add(name, DecodeBase64(part));
            }
        }
        else
        {
            metadata.Add(name, value);
        }
    }

    /// <summary>The header value to send for an entry.</summary>
    public static string ToHeaderValue(Metadata.Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes!) : entry.Value!;
    }

    private static byte[] DecodeBase64(string value)
    {
        var padding = (4 - (value.Length % 4)) % 4;
        var padded = padding is 0 or 3 ? value : value + new string('=', padding);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException ex)
        {
            throw new RpcException(StatusCode.Internal, "A binary metadata value is not valid base64.", null, ex);
        }
    }
}
