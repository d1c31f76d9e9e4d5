namespace CdcAspire.ServiceDefaults.Security;

/// <summary>Names of the API token's authentication scheme and authorization policy.</summary>
public static class ApiToken
{
    /// <summary>The authentication scheme: <c>authorization: Bearer &lt;Cdc:Api:Token&gt;</c>.</summary>
    public const string Scheme = "CdcApiToken";

    /// <summary>
    /// The policy on every method that changes state (pause, replay, repair, ...):
    /// <c>[Authorize(Policy = ApiToken.ChangePolicy)]</c>. Reading methods stay anonymous.
    /// </summary>
    public const string ChangePolicy = "cdc-change";
}
