using CdcAspire.KafkaConnect;

namespace CdcAspire.Cli.Connect;

/// <summary>
/// Masks the plain values of secret settings (as <see cref="ConfigRedactor"/> decides) wherever they appear in text
/// the CLI prints: the worker's validation and error messages may quote a value ("Invalid value ... for
/// configuration ..."), and a task's stack trace may too.
/// </summary>
public sealed class SecretScrubber
{
    private readonly List<string> secrets = [];

    public void Add(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (key, value) in config)
        {
            if (value.Length > 0 && ConfigRedactor.Redact(key, value) == ConfigRedactor.Mask && !secrets.Contains(value, StringComparer.Ordinal))
            {
                secrets.Add(value);
            }
        }

        // Longest first, so a secret that contains another is masked whole.
        secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
    }

    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, ConfigRedactor.Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
