namespace CdcAspire.Cli.Services;

/// <summary>
/// Finds a service's gRPC address: its flag (<c>--sink</c>, <c>--dlq</c>, ...), else the variables Aspire injects
/// for a reference to the resource, <c>services__&lt;name&gt;__grpc__0</c> (the named gRPC endpoint), then
/// <c>https</c>, then <c>http</c> (over TLS, ALPN gives HTTP/2 on the one port).
/// </summary>
public static class ServiceAddress
{
    private static readonly string[] Endpoints = ["grpc", "https", "http"];

    /// <summary>The Aspire variable of a service's endpoint, e.g. <c>services__sink__grpc__0</c>.</summary>
    public static string Variable(string service, string endpoint = "grpc") => $"services__{service}__{endpoint}__0";

    public static Uri Resolve(string service, string? flagValue)
    {
        var flag = "--" + service;
        var (value, source) = !string.IsNullOrWhiteSpace(flagValue) ? (flagValue, flag) : FromEnvironment(service);
        if (value is null)
        {
            throw new UsageException($"No {service} address: pass {flag} <url> or set {Variable(service)}.");
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"{source} = '{value}' is not an http:// or https:// URL.");
    }

    private static (string? Value, string Source) FromEnvironment(string service)
    {
        foreach (var endpoint in Endpoints)
        {
            var variable = Variable(service, endpoint);
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                return (value, variable);
            }
        }

        return (null, string.Empty);
    }
}
