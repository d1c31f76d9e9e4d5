namespace CdcAspire.Cli.Sink;

/// <summary>
/// Finds the sink: <c>--sink</c>, else the variables Aspire injects for a reference to the <c>sink</c> resource
/// (its named <c>grpc</c> endpoint first, then <c>http</c>).
/// </summary>
public static class SinkAddress
{
    public const string GrpcVariable = "services__sink__grpc__0";
    public const string HttpVariable = "services__sink__http__0";

    public static Uri Resolve(string? option)
    {
        var (value, source) = !string.IsNullOrWhiteSpace(option) ? (option, "--sink")
            : Environment.GetEnvironmentVariable(GrpcVariable) is { Length: > 0 } grpc ? (grpc, GrpcVariable)
            : Environment.GetEnvironmentVariable(HttpVariable) is { Length: > 0 } http ? (http, HttpVariable)
            : throw new UsageException($"No sink address: pass --sink <url> or set {GrpcVariable}.");

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"{source} = '{value}' is not an http:// or https:// URL.");
    }
}
