using System.Collections;
using System.Text;

namespace CdcAspire.Grpc;

/// <summary>
/// gRPC custom metadata: ordered key/value pairs sent as HTTP/2 headers or trailers. Keys are lower-case ASCII;
/// keys ending in <c>-bin</c> carry bytes (base64 on the wire), all others carry printable ASCII text.
/// </summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    /// <summary>Suffix that marks a binary-valued key.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    public Metadata Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var normalized = NormalizeKey(key);
        if (IsBinaryKey(normalized))
        {
            throw new ArgumentException($"Key '{key}' ends with '{BinarySuffix}' and so needs a byte[] value.", nameof(key));
        }

        _entries.Add(new Entry(normalized, value, null));
        return this;
    }

    public Metadata Add(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var normalized = NormalizeKey(key);
        if (!IsBinaryKey(normalized))
        {
            throw new ArgumentException($"Key '{key}' must end with '{BinarySuffix}' to carry a byte[] value.", nameof(key));
        }

        _entries.Add(new Entry(normalized, null, value));
        return this;
    }

    /// <summary>Adds a copy of an entry (from another metadata collection).</summary>
    public Metadata Add(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.IsBinary ? Add(entry.Key, entry.ValueBytes!) : Add(entry.Key, entry.Value!);
    }

    /// <summary>The last text value for the key, or null.</summary>
    public string? GetValue(string key) => _entries.LastOrDefault(e => e.Key == NormalizeKey(key))?.Value;

    /// <summary>The last binary value for the key, or null.</summary>
    public byte[]? GetBytes(string key) => _entries.LastOrDefault(e => e.Key == NormalizeKey(key))?.ValueBytes;

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.Ordinal);

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var lower = key.ToLowerInvariant();
        foreach (var c in lower)
        {
            // The gRPC spec limits keys to these characters; anything else would be rejected by HTTP/2 peers.
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.'))
            {
                throw new ArgumentException($"Metadata key '{key}' contains '{c}'; allowed are a-z, 0-9, '-', '_', '.'.", nameof(key));
            }
        }

        return lower;
    }

    /// <summary>One metadata entry; exactly one of <see cref="Value"/> and <see cref="ValueBytes"/> is set.</summary>
    public sealed record Entry(string Key, string? Value, byte[]? ValueBytes)
    {
        public bool IsBinary => ValueBytes is not null;

        public override string ToString() =>
            IsBinary ? $"{Key}: <{ValueBytes!.Length} bytes>" : $"{Key}: {Value}";

        /// <summary>The value as bytes: binary as is, text as ASCII.</summary>
        public byte[] GetBytes() => ValueBytes ?? Encoding.ASCII.GetBytes(Value!);
    }
}
