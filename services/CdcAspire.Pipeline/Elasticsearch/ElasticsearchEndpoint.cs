using System.Net.Http.Headers;
using System.Text;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// The Elasticsearch address as Aspire injects it (<c>ConnectionStrings__elasticsearch</c> =
/// <c>http://elastic:password@host:9200</c>), split into a credential-free base address and an Authorization header.
/// <see cref="ToString"/> never shows the password, so the endpoint can be logged.
/// </summary>
public sealed class ElasticsearchEndpoint
{
    private ElasticsearchEndpoint(Uri baseAddress, AuthenticationHeaderValue? authorization, string? userName)
    {
        BaseAddress = baseAddress;
        Authorization = authorization;
        UserName = userName;
    }

    /// <summary>Scheme, host, port and path prefix, without user info.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Basic credentials from the URI's user info, if any.</summary>
    public AuthenticationHeaderValue? Authorization { get; }

    public string? UserName { get; }

    /// <summary>Parses the connection string. The error names the key and never echoes the value (it may hold a password).</summary>
    public static ElasticsearchEndpoint Parse(string? connectionString, string configurationKey = "ConnectionStrings:elasticsearch")
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException(
                $"{configurationKey} is not set. Set it to the Elasticsearch URI, e.g. http://elastic:<password>@localhost:9200 " +
                "(the Aspire AppHost injects it with WithReference(elasticsearch)).");
        }

        // Aspire's Elasticsearch client also accepts "Endpoint=...;" style strings; support the plain URI and that form.
        var text = connectionString.Trim();
        if (text.StartsWith("Endpoint=", StringComparison.OrdinalIgnoreCase))
        {
            text = text["Endpoint=".Length..].Split(';', 2)[0];
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException(
                $"{configurationKey} is not an http(s) URI. Expected the form http://user:password@host:9200.");
        }

        AuthenticationHeaderValue? auth = null;
        string? user = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            var password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
            auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return new ElasticsearchEndpoint(builder.Uri, auth, user);
    }

    /// <summary>The address with the user name but never the password.</summary>
    public override string ToString() =>
        UserName is null ? BaseAddress.ToString() : BaseAddress.ToString().Replace("://", $"://{UserName}:***@", StringComparison.Ordinal);
}
