using System.Net.Http.Headers;
using System.Text;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Where Elasticsearch is and how to log in, parsed from <c>ConnectionStrings:elasticsearch</c>. Accepted forms:
/// <list type="bullet">
/// <item><c>http://elastic:password@host:9200</c>: one node, as the Aspire AppHost injects it;</item>
/// <item><c>http://elastic:password@es1:9200,http://es2:9200,http://es3:9200</c>: several nodes of one cluster
/// (the credentials of the first URI that has them apply to all); requests go round the nodes and fail over when one
/// dies;</item>
/// <item><c>Endpoint=https://es1:9200,https://es2:9200;ApiKey=&lt;base64 key&gt;</c> (or <c>Username=</c> and
/// <c>Password=</c>): the key/value form, also with an API key;</item>
/// <item><c>CloudId=&lt;deployment:base64&gt;;ApiKey=&lt;key&gt;</c>: an Elastic Cloud deployment.</item>
/// </list>
/// <see cref="ToString"/> never shows the password or key, so the endpoint can be logged.
/// </summary>
public sealed class ElasticsearchEndpoint
{
    private ElasticsearchEndpoint(IReadOnlyList<Uri> nodes, string? cloudId, string? userName, string? password, string? apiKey)
    {
        Nodes = nodes;
        CloudId = cloudId;
        UserName = userName;
        Password = password;
        ApiKey = apiKey;
    }

    /// <summary>The nodes, without user info (empty for a cloud id).</summary>
    public IReadOnlyList<Uri> Nodes { get; }

    /// <summary>The first node: scheme, host, port and path prefix, without user info.</summary>
    public Uri BaseAddress => Nodes.Count > 0 ? Nodes[0] : new Uri("https://cloud.invalid/");

    /// <summary>The Elastic Cloud id, when the connection string names one.</summary>
    public string? CloudId { get; }

    public string? UserName { get; }

    /// <summary>The password; never logged.</summary>
    internal string? Password { get; }

    /// <summary>The API key (the base64 <c>encoded</c> form); never logged.</summary>
    internal string? ApiKey { get; }

    /// <summary>Basic credentials, if any (for callers that speak HTTP themselves).</summary>
    public AuthenticationHeaderValue? Authorization => UserName is null
        ? ApiKey is null ? null : new AuthenticationHeaderValue("ApiKey", ApiKey)
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}")));

    /// <summary>Parses the connection string. The error names the key and never echoes the value (it may hold a password).</summary>
    public static ElasticsearchEndpoint Parse(string? connectionString, string configurationKey = "ConnectionStrings:elasticsearch")
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException(
                $"{configurationKey} is not set. Set it to the Elasticsearch URI, e.g. http://elastic:<password>@localhost:9200, " +
                "several URIs separated by commas, or CloudId=<id>;ApiKey=<key> " +
                "(the Aspire AppHost injects it with WithReference(elasticsearch)).");
        }

        var text = connectionString.Trim();
        return text.Contains("://", StringComparison.Ordinal) && !text.Contains('=', StringComparison.Ordinal)
            ? FromUris(text, null, null, null, null, configurationKey)
            : FromPairs(text, configurationKey);
    }

    /// <summary>The address(es) with the user name but never the password or key.</summary>
    public override string ToString()
    {
        var where = CloudId is not null
            ? $"cloud id {CloudId.Split(':', 2)[0]}"
            : string.Join(",", Nodes.Select(n => UserName is null ? n.ToString() : n.ToString().Replace("://", $"://{UserName}:***@", StringComparison.Ordinal)));
        return ApiKey is null ? where : $"{where} (API key)";
    }

    private static ElasticsearchEndpoint FromPairs(string text, string key)
    {
        string? endpoint = null, cloudId = null, apiKey = null, user = null, password = null;
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                throw new ArgumentException($"{key} has a part that is not key=value. Use Endpoint=<uri>[,<uri>...] or CloudId=<id>, with ApiKey=<key> or Username=/Password=.");
            }

            var value = pair[1].Trim();
            switch (pair[0].Trim().ToUpperInvariant())
            {
                case "ENDPOINT": endpoint = value; break;
                case "CLOUDID": cloudId = value; break;
                case "APIKEY": apiKey = value; break;
                case "USERNAME": user = value; break;
                case "PASSWORD": password = value; break;
                default:
                    throw new ArgumentException($"{key} has an unknown part '{pair[0].Trim()}'. Known: Endpoint, CloudId, ApiKey, Username, Password.");
            }
        }

        if (apiKey is not null && user is not null)
        {
            throw new ArgumentException($"{key} has both ApiKey and Username: use one way to log in.");
        }

        if (cloudId is not null)
        {
            if (endpoint is not null)
            {
                throw new ArgumentException($"{key} has both CloudId and Endpoint: use one.");
            }

            if (!cloudId.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"{key}: CloudId is not in the form <deployment>:<base64>; copy it from the Elastic Cloud console.");
            }

            if (apiKey is null && user is null)
            {
                throw new ArgumentException($"{key}: a CloudId needs ApiKey=<key> or Username=/Password=.");
            }

            return new ElasticsearchEndpoint([], cloudId, user, password, apiKey);
        }

        if (endpoint is null)
        {
            throw new ArgumentException($"{key} has neither Endpoint nor CloudId. Use Endpoint=<uri>[,<uri>...] or CloudId=<id>.");
        }

        return FromUris(endpoint, user, password, apiKey, cloudId, key);
    }

    private static ElasticsearchEndpoint FromUris(string list, string? user, string? password, string? apiKey, string? cloudId, string key)
    {
        var nodes = new List<Uri>();
        foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(item, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException(
                    $"{key} is not an http(s) URI (or a comma-separated list of them). Expected the form http://user:password@host:9200.");
            }

            if (!string.IsNullOrEmpty(uri.UserInfo) && user is null && apiKey is null)
            {
                var parts = uri.UserInfo.Split(':', 2);
                user = Uri.UnescapeDataString(parts[0]);
                password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
            }

            var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
            if (!builder.Path.EndsWith('/'))
            {
                builder.Path += "/";
            }

            nodes.Add(builder.Uri);
        }

        if (nodes.Count == 0)
        {
            throw new ArgumentException($"{key} lists no node. Expected the form http://user:password@host:9200.");
        }

        return new ElasticsearchEndpoint(nodes, cloudId, user, password, apiKey);
    }
}
