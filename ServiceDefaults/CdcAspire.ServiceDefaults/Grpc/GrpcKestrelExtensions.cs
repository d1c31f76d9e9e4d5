using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.ServiceDefaults.Grpc;

public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Configures Kestrel from <see cref="GrpcEndpointOptions"/> (<c>Cdc:Grpc</c>): the gRPC endpoint HTTP/2-only in
    /// cleartext, or TLS with ALPN (h2, falling back to HTTP/1.1) for https; plus HTTP/1.1 endpoints for health and
    /// metrics. Does nothing when neither <c>Cdc:Grpc:Url</c> nor <c>Cdc:Grpc:Port</c> is set.
    /// </summary>
    public static WebApplicationBuilder ConfigureGrpcKestrel(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(GrpcEndpointOptions.SectionName).Get<GrpcEndpointOptions>() ?? new();
        var url = string.IsNullOrWhiteSpace(options.Url) && options.Port is { } port
            ? $"http://localhost:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : options.Url;
        if (string.IsNullOrWhiteSpace(url))
        {
            return builder;
        }

        Uri grpcUrl;
        List<Uri> httpUrls;
        try
        {
            grpcUrl = ParseUrl(url, GrpcEndpointOptions.SectionName + ":Url");
            // The host's urls may list the gRPC endpoint too (it is an http endpoint of the project): it is served
            // once, as HTTP/2, so it is left out here.
            httpUrls = (options.HttpUrls ?? builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? string.Empty)
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(u => ParseUrl(u, GrpcEndpointOptions.SectionName + ":HttpUrls"))
                .Where(u => grpcUrl.Port == 0 || u.Port != grpcUrl.Port)
                .ToList();
        }
        catch (InvalidOperationException e)
        {
            // Reported at start like every other setting (RunServiceAsync: the message and exit code 1), not as an
            // exception while the builder runs.
            var message = e.Message;
            builder.Services.AddOptions<GrpcEndpointOptions>().Validate(_ => false, message).ValidateOnStart();
            return builder;
        }

        var certificate = grpcUrl.Scheme == Uri.UriSchemeHttps || httpUrls.Any(u => u.Scheme == Uri.UriSchemeHttps)
            ? LoadCertificate(options)
            : null;

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, grpcUrl, grpcUrl.Scheme == Uri.UriSchemeHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http2, certificate);
            foreach (var url in httpUrls)
            {
                Listen(kestrel, url, url.Scheme == Uri.UriSchemeHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1, certificate);
            }
        });
        return builder;
    }

    /// <summary>Adds one endpoint; <c>localhost</c> means both loopback addresses, <c>*</c>/<c>+</c>/<c>0.0.0.0</c> any.</summary>
    public static void Listen(KestrelServerOptions kestrel, Uri url, HttpProtocols protocols, X509Certificate2? certificate)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(url);
        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            if (url.Scheme == Uri.UriSchemeHttps)
            {
                listen.UseHttps(certificate ?? throw new InvalidOperationException(
                    $"{url} is https but no certificate is configured; set {GrpcEndpointOptions.SectionName}:CertificatePath."));
            }
        }

        var host = url.Host;
        if (host is "*" or "+" or "0.0.0.0" or "[::]")
        {
            kestrel.ListenAnyIP(url.Port, Configure);
        }
        else if (host == "localhost" && url.Port != 0)
        {
            kestrel.ListenLocalhost(url.Port, Configure);
        }
        else if (host == "localhost")
        {
            kestrel.Listen(IPAddress.Loopback, 0, Configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host.Trim('[', ']')), url.Port, Configure);
        }
    }

    private static Uri ParseUrl(string value, string key)
    {
        // Uri rejects the '*' and '+' wildcards ASP.NET Core accepts, so parse them as 0.0.0.0 and keep the meaning.
        var normalized = value.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{key} = '{value}' is not an http:// or https:// URL with a host and port.");
        }

        if (uri.Host != "localhost" && uri.Host != "0.0.0.0" && !IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
        {
            throw new InvalidOperationException($"{key} = '{value}': use an IP address, localhost or * as the host.");
        }

        return uri;
    }

    private static X509Certificate2 LoadCertificate(GrpcEndpointOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            throw new InvalidOperationException(
                $"An https endpoint is configured but {GrpcEndpointOptions.SectionName}:CertificatePath is empty; set it to a .pfx or PEM file.");
        }

        return string.IsNullOrWhiteSpace(options.KeyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword)
            : X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
    }
}
