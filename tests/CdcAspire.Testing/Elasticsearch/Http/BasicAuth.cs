using System.Text;

namespace CdcAspire.Testing.Elasticsearch.Http;

/// <summary>
/// HTTP Basic authentication as ES security answers it: 401 security_exception with a WWW-Authenticate challenge.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/http-clients.html
/// </summary>
internal sealed class BasicAuth
{
    private static readonly Dictionary<string, string[]> Challenge = new()
    {
        ["WWW-Authenticate"] = ["Basic realm=\"security\", charset=\"UTF-8\"", "ApiKey"],
    };

    private readonly string _expected;
    private readonly string _username;

    public BasicAuth(string username, string password)
    {
        _username = username;
        _expected = Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password));
    }

    public EsError? Check(string? authorization, string uri)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized($"missing authentication credentials for REST request [{uri}]");
        }

        var given = authorization[6..].Trim();
        if (given == _expected)
        {
            return null;
        }

        var user = _username;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(given));
            user = decoded.Split(':', 2)[0];
        }
        catch (FormatException)
        {
            return Unauthorized($"missing authentication credentials for REST request [{uri}]");
        }

        return Unauthorized($"unable to authenticate user [{user}] for REST request [{uri}]");
    }

    private static EsError Unauthorized(string reason) =>
        new(401, "security_exception", reason) { Headers = Challenge };
}
