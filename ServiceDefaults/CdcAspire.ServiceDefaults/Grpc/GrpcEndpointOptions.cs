namespace CdcAspire.ServiceDefaults.Grpc;

/// <summary>
/// Where the service listens, bound from the <c>Cdc:Grpc</c> configuration section. gRPC over cleartext needs an
/// HTTP/2-only endpoint (clients use prior knowledge, no upgrade), while health probes and browsers speak
/// HTTP/1.1, so a service gets two endpoints; over TLS, ALPN negotiates h2 on one port.
/// </summary>
public sealed class GrpcEndpointOptions
{
    public const string SectionName = "Cdc:Grpc";

    /// <summary>
    /// The gRPC endpoint (<c>Cdc:Grpc:Url</c>), e.g. <c>http://127.0.0.1:5081</c> (HTTP/2 only, cleartext) or
    /// <c>https://0.0.0.0:5443</c> (TLS, needs <see cref="CertificatePath"/>). When empty, Kestrel is left to its
    /// usual configuration (<c>Kestrel:Endpoints</c>, <c>ASPNETCORE_URLS</c>).
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// Shorthand for <c>http://localhost:{Port}</c> when <see cref="Url"/> is empty (<c>Cdc:Grpc:Port</c>): what an
    /// AppHost sets with <c>WithHttpEndpoint(name: "grpc", env: "Cdc__Grpc__Port")</c>.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>
    /// HTTP/1.1 endpoints for health and metrics (<c>Cdc:Grpc:HttpUrls</c>, ';'-separated). Default: the host's
    /// <c>urls</c> setting (<c>ASPNETCORE_URLS</c>, which Aspire sets from the project's http endpoint), because
    /// explicit Kestrel listeners otherwise replace it.
    /// </summary>
    public string? HttpUrls { get; set; }

    /// <summary>Certificate for https URLs: a PKCS#12 (.pfx) file, or a PEM certificate with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file, when <see cref="CertificatePath"/> is a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of the .pfx file, if any.</summary>
    public string? CertificatePassword { get; set; }
}
