using System.Security.Cryptography;

namespace CdcAspire.Testing.Elasticsearch.Bulk;

/// <summary>
/// Ids for index/create actions without _id: 20-character URL-safe base64, like ES's time-based UUIDs.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html#docs-index-api-path-params
/// </summary>
internal static class AutoIds
{
    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }
}
