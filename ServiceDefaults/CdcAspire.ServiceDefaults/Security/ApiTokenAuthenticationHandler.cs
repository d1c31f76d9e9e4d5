using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CdcAspire.ServiceDefaults.Security;

/// <summary>
/// Authenticates <c>authorization: Bearer &lt;token&gt;</c> against <see cref="ApiTokenOptions.Token"/>. Both sides
/// are hashed and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the content nor the
/// length of the expected token leaks through timing. No reason it gives ever contains a token. A refused gRPC call
/// is answered as gRPC (status UNAUTHENTICATED with the reason and the fix), not as a bare HTTP 401.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    IOptionsMonitor<ApiTokenOptions> tokenOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";
    private const string FailureKey = "cdc-api-token-failure";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = tokenOptions.CurrentValue.Token;
        string header = Request.Headers.Authorization.ToString();
        string? failure = null;
        if (string.IsNullOrEmpty(header))
        {
            failure = "Missing API token: pass --token or set CDC_API_TOKEN (sent as 'authorization: Bearer <token>').";
        }
        else if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            failure = "The authorization header is not a bearer token ('authorization: Bearer <token>').";
        }
        else if (string.IsNullOrEmpty(expected))
        {
            failure = $"This service has no API token configured, so no call that changes state is allowed: set {ApiTokenOptions.TokenKey} (Cdc__Api__Token).";
        }
        else
        {
            var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[BearerPrefix.Length..].Trim()));
            var wanted = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
            if (!CryptographicOperations.FixedTimeEquals(presented, wanted))
            {
                failure = "The API token does not match the service's (Cdc:Api:Token).";
            }
        }

        if (failure is not null)
        {
            Context.Items[FailureKey] = failure;
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-token")], ApiToken.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiToken.Scheme)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Context.Items[FailureKey] as string ?? "This call needs the API token.";
        SecurityLog.Refused(Logger, Request.Path, reason);
        if (Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            // A trailers-only gRPC response: every gRPC client shows the status and the message.
            Response.StatusCode = StatusCodes.Status200OK;
            Response.ContentType = "application/grpc";
            Response.Headers["grpc-status"] = "16";
            Response.Headers["grpc-message"] = Uri.EscapeDataString(reason);
            return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Response.WriteAsync(reason);
    }
}
