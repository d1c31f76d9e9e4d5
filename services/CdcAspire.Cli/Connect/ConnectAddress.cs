namespace CdcAspire.Cli.Connect;

/// <summary>
/// Finds the Kafka Connect REST API: <c>--connect</c>, else the variable Aspire injects for a reference to a resource
/// named <c>connect</c> (its <c>http</c> endpoint), else <c>CDC_CONNECT_URL</c>.
/// </summary>
public static class ConnectAddress
{
    public const string AspireVariable = "services__connect__http__0";
    public const string Variable = "CDC_CONNECT_URL";

    public static Uri Resolve(string? option)
    {
        var (value, source) = !string.IsNullOrWhiteSpace(option) ? (option, "--connect")
            : Environment.GetEnvironmentVariable(AspireVariable) is { Length: > 0 } aspire ? (aspire, AspireVariable)
            : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } plain ? (plain, Variable)
            : throw new UsageException($"No Kafka Connect address: pass --connect <url> (e.g. http://localhost:8083) or set {AspireVariable} or {Variable}.");

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"{source} = '{value}' is not an http:// or https:// URL.");
        }

        // The client's paths are relative ("connectors/..."): without a trailing slash a base path such as /connect
        // would be replaced instead of extended.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
