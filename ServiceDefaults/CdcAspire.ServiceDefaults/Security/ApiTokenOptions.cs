namespace CdcAspire.ServiceDefaults.Security;

/// <summary>Access control of a service's API, bound from the <c>Cdc:Api</c> configuration section.</summary>
public sealed class ApiTokenOptions
{
    public const string SectionName = "Cdc:Api";

    /// <summary>The configuration key of <see cref="Token"/> (environment variable <c>Cdc__Api__Token</c>).</summary>
    public const string TokenKey = SectionName + ":Token";

    /// <summary>
    /// Bearer token required by the methods that change state (policy <see cref="ApiToken.ChangePolicy"/>). No
    /// default: when it is empty those methods answer UNAUTHENTICATED to everyone (fail closed). In the AppHost it
    /// comes from a secret parameter.
    /// </summary>
    public string? Token { get; set; }
}
