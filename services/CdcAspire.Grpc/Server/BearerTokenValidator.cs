using System.Security.Cryptography;
using System.Text;
using CdcAspire.Grpc.Protocol;
using Microsoft.Extensions.Options;

namespace CdcAspire.Grpc.Server;

/// <summary>
/// Checks <c>authorization: Bearer &lt;token&gt;</c> against <see cref="GrpcApiOptions.Token"/>. Both sides are
/// hashed and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the content nor the
/// length of the expected token leaks through timing. Reasons returned never contain the token.
/// </summary>
internal sealed class BearerTokenValidator(IOptionsMonitor<GrpcApiOptions> options)
{
    private const string Scheme = "Bearer ";

    /// <summary>Null when the caller is authenticated, otherwise why not (safe to log).</summary>
    public string? Validate(Metadata requestHeaders, out bool tokenConfigured)
    {
        var expected = options.CurrentValue.Token;
        tokenConfigured = !string.IsNullOrEmpty(expected);
        var header = requestHeaders.GetValue(GrpcProtocol.AuthorizationHeader);
        if (string.IsNullOrEmpty(header))
        {
            return "no authorization header";
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "authorization is not a bearer token";
        }

        if (!tokenConfigured)
        {
            return "no token is configured on the server";
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        var wanted = SHA256.HashData(Encoding.UTF8.GetBytes(expected!));
        return CryptographicOperations.FixedTimeEquals(presented, wanted) ? null : "token does not match";
    }
}
