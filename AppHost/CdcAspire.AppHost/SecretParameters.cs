using Aspire.Hosting.ApplicationModel;

namespace CdcAspire.AppHost;

public static class SecretParameters
{
    public const string ApiTokenName = "api-token";

    /// <summary>
    /// A secret parameter: <c>Parameters:{name}</c> when given, otherwise generated on first run and kept in the
    /// AppHost's user secrets (so a data volume and its password stay in step). Letters and digits only, because
    /// some end up inside URIs and connector configs. In the manifest it is an input to fill at deployment.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
}
