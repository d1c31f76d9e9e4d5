namespace CdcAspire.Grpc.Server;

/// <summary>Who may call a method.</summary>
public enum MethodAuth
{
    /// <summary>Anyone who reaches the endpoint (read-only calls).</summary>
    Anonymous,

    /// <summary>
    /// Only callers sending <c>authorization: Bearer &lt;token&gt;</c> with the token configured under
    /// <see cref="GrpcApiOptions.TokenKey"/> (mutating calls). Fails closed when no token is configured.
    /// </summary>
    BearerToken,
}
