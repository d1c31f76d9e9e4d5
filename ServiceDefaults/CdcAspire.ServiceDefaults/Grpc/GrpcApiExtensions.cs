using CdcAspire.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CdcAspire.ServiceDefaults.Grpc;

/// <summary>
/// The gRPC API every CdcAspire service exposes, on Grpc.AspNetCore: the endpoint from <c>Cdc:Grpc:Url</c> or
/// <c>Cdc:Grpc:Port</c> (HTTP/2 only in cleartext, next to the HTTP/1.1 endpoint for health and metrics),
/// <c>grpc.health.v1</c> driven by the same health checks as <c>/health</c>, server reflection, and the API token
/// (<c>Cdc:Api:Token</c>) as an ASP.NET Core authentication scheme with the <see cref="ApiToken.ChangePolicy"/>
/// policy for methods that change state.
/// </summary>
public static class GrpcApiExtensions
{
    public static WebApplicationBuilder AddGrpcApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureGrpcKestrel();
        builder.Services.AddGrpc(grpc => grpc.EnableDetailedErrors = false);
        builder.Services.AddGrpcHealthChecks();
        builder.Services.AddGrpcReflection();

        builder.Services.AddOptions<ApiTokenOptions>().BindConfiguration(ApiTokenOptions.SectionName);
        builder.Services.AddAuthentication(ApiToken.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiToken.Scheme, _ => { });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiToken.ChangePolicy, policy => policy
                .AddAuthenticationSchemes(ApiToken.Scheme)
                .RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>Maps the health and reflection services; map the service's own API next to it.</summary>
    public static WebApplication MapGrpcApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
