using System.Text.Json;

namespace CdcAspire.Cli.Tests.Infrastructure;

internal static class Json
{
    /// <summary>Parses stdout as one JSON document: --json prints nothing else.</summary>
    public static JsonElement Parse(string output) => JsonDocument.Parse(output).RootElement.Clone();

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static long Long(this JsonElement e, string name) => e.GetProperty(name).GetInt64();
}
