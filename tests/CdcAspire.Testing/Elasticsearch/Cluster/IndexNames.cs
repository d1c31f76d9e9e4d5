using System.Text;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// Index name rules. https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-create-index.html#indices-create-api-path-params
/// </summary>
internal static class IndexNames
{
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create(" \"*\\<|,>/?");

    public static void Validate(string name)
    {
        if (name.Length == 0 || name.Any(char.IsUpper))
        {
            throw new EsException(EsErrors.InvalidIndexName(name, "must be lowercase"));
        }

        if (name.AsSpan().IndexOfAny(Forbidden) >= 0)
        {
            throw new EsException(EsErrors.InvalidIndexName(name, "must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?]"));
        }

        if (name.Contains('#', StringComparison.Ordinal))
        {
            throw new EsException(EsErrors.InvalidIndexName(name, "must not contain '#'"));
        }

        if (name[0] is '_' or '-' or '+')
        {
            throw new EsException(EsErrors.InvalidIndexName(name, "must not start with '_', '-', or '+'"));
        }

        if (name is "." or "..")
        {
            throw new EsException(EsErrors.InvalidIndexName(name, "must not be '.' or '..'"));
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > 255)
        {
            throw new EsException(EsErrors.InvalidIndexName(name, $"index name is too long, ({bytes} > 255)"));
        }
    }
}
