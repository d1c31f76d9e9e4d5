namespace CdcAspire.KafkaConnect;

/// <summary>
/// Hides secrets before a connector config reaches a log or an exception message: any key naming a password,
/// secret, token or credential is masked unless its value is a config-provider reference (<c>${env:PG_PASSWORD}</c>),
/// which names where the secret lives, not the secret.
/// </summary>
public static class ConfigRedactor
{
    public const string Mask = "********";

    private static readonly string[] SecretMarkers = ["password", "secret", "token", "credential", "sasl.jaas.config", "api.key"];

    public static bool IsSecretKey(string key) =>
        SecretMarkers.Any(marker => key.Contains(marker, StringComparison.OrdinalIgnoreCase));

    public static string Redact(string key, string? value) =>
        value is null ? string.Empty
        : IsSecretKey(key) && !IsProviderReference(value) ? Mask
        : value;

    public static IReadOnlyDictionary<string, string> Redact(IReadOnlyDictionary<string, string> config) =>
        config.ToDictionary(p => p.Key, p => Redact(p.Key, p.Value), StringComparer.Ordinal);

    private static bool IsProviderReference(string value) =>
        value.StartsWith("${", StringComparison.Ordinal) && value.EndsWith('}') && value.IndexOf('}', StringComparison.Ordinal) == value.Length - 1;
}
