using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CdcAspire.Grpc.Client;
using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.Grpc.Server;
using CdcAspire.Grpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.Grpc.Tests.Protocol;

public sealed class TlsEndpointTests
{
    [Fact]
    public async Task HttpsEndpointNegotiatesHttp2ThroughAlpn()
    {
        var pfx = Path.Combine(Directory.CreateTempSubdirectory("cdc-tls-").FullName, "server.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx), TestContext.Current.CancellationToken);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cdc:Grpc:Url"] = "https://127.0.0.1:0",
            ["Cdc:Grpc:HttpUrls"] = string.Empty,
            ["Cdc:Grpc:CertificatePath"] = pfx,
        });
        builder.ConfigureGrpcKestrel();
        builder.Services.AddCdcGrpc();
        await using var app = builder.Build();
        app.MapGrpcHealthChecks();
        await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Call, TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        // The test certificate is self-signed: trust exactly it, nothing else.
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.Subject == "CN=127.0.0.1" },
        };
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });
        var response = await channel.UnaryAsync(InteropMethods.HealthCheck, new Health.V1.HealthCheckRequest(),
            new CallOptions(null, TestTimeouts.Call, TestContext.Current.CancellationToken));

        Assert.StartsWith("https://", address, StringComparison.Ordinal);
        Assert.Equal(Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
        await app.StopAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Call, TestContext.Current.CancellationToken);
    }
}
