using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>
/// Recognises every shape of Debezium's unchanged-TOAST placeholder (<c>unavailable.value.placeholder</c>). Its
/// <c>UnchangedToastedPlaceholder</c> converts the placeholder to the column's type
/// (https://github.com/debezium/debezium/blob/main/debezium-connector-postgres/src/main/java/io/debezium/connector/postgresql/UnchangedToastedPlaceholder.java,
/// https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-toasted-values):
/// <list type="bullet">
/// <item>text, json, xml and the like: the string itself; bytea: its bytes (base64 in JSON);</item>
/// <item>text[]: <c>[placeholder]</c>; bytea[]: <c>[bytes]</c>;</item>
/// <item>int[], bigint[], date[] and other number arrays: the placeholder's bytes as numbers, <c>[95,95,100,...]</c>;</item>
/// <item>uuid[]: <c>[UUID.nameUUIDFromBytes(placeholder bytes)]</c>;</item>
/// <item>hstore: the map <c>{placeholder: placeholder}</c>, or that map as a JSON string with <c>hstore.handling.mode=json</c>.</item>
/// </list>
/// None of these is a value to index: each becomes <see cref="Pipeline.Changes.ColumnValue.UnchangedToast(string)"/>.
/// </summary>
internal sealed class ToastPlaceholder
{
    private readonly string text;
    private readonly string base64;
    private readonly string uuid;
    private readonly byte[] bytes;

    public ToastPlaceholder(string placeholder)
    {
        text = placeholder;
        bytes = Encoding.UTF8.GetBytes(placeholder);
        base64 = Convert.ToBase64String(bytes);
        uuid = NameUuid(bytes);
    }

    public bool Matches(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => IsText(value) || IsHstoreJson(value),
        JsonValueKind.Array => IsArray(value),
        JsonValueKind.Object => IsHstore(value),
        _ => false,
    };

    /// <summary>
    /// Java's <c>UUID.nameUUIDFromBytes</c>: a version-3 UUID, the MD5 of the bytes alone (no namespace), with the
    /// version and IETF variant bits set. MD5 is what the Java method uses; here it only recomputes that identifier.
    /// </summary>
    internal static string NameUuid(byte[] name)
    {
#pragma warning disable CA5351 // Not for security: reproduces the identifier Debezium derives with MD5.
        var hash = MD5.HashData(name);
#pragma warning restore CA5351
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true).ToString("D");
    }

    private bool IsText(JsonElement value) => value.ValueEquals(text) || value.ValueEquals(base64);

    private bool IsArray(JsonElement value)
    {
        var length = value.GetArrayLength();
        if (length == 1 && value[0].ValueKind == JsonValueKind.String)
        {
            return IsText(value[0]) || value[0].ValueEquals(uuid);
        }

        if (length != bytes.Length || length == 0)
        {
            return false;
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            // Java bytes are signed: (int) b.
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var number) || number != (sbyte)bytes[i++])
            {
                return false;
            }
        }

        return true;
    }

    private bool IsHstore(JsonElement value)
    {
        using var properties = value.EnumerateObject();
        var count = 0;
        foreach (var property in properties)
        {
            if (++count > 1 || !property.NameEquals(text) || property.Value.ValueKind != JsonValueKind.String || !property.Value.ValueEquals(text))
            {
                return false;
            }
        }

        return count == 1;
    }

    private bool IsHstoreJson(JsonElement value)
    {
        var raw = value.GetString()!;
        if (!raw.StartsWith('{') || !raw.Contains(text, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.ValueKind == JsonValueKind.Object && IsHstore(document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
