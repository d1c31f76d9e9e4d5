namespace CdcAspire.Grpc.Server;

/// <summary>Access control of the gRPC API, bound from the <c>Cdc:Api</c> configuration section.</summary>
public sealed class GrpcApiOptions
{
    public const string SectionName = "Cdc:Api";

    /// <summary>The configuration key of <see cref="Token"/> (environment variable <c>Cdc__Api__Token</c>).</summary>
    public const string TokenKey = SectionName + ":Token";

    /// <summary>
    /// Bearer token required by methods registered with <see cref="MethodAuth.BearerToken"/>. No default: when it
    /// is empty those methods answer UNAUTHENTICATED to everyone (fail closed). In the AppHost it comes from a
    /// secret parameter.
    /// </summary>
    public string? Token { get; set; }
}
