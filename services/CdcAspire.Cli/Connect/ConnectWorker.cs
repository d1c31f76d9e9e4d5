using System.Net;
using System.Text.Json;
using CdcAspire.KafkaConnect;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdcAspire.Cli.Connect;

/// <summary>
/// One Kafka Connect worker as the <c>cdc connector</c> commands use it: the <see cref="KafkaConnectClient"/> (plain
/// HTTP, retrying 409/5xx and connection failures) plus a scrubber for the secrets of every config it has seen.
/// </summary>
public sealed class ConnectWorker : IDisposable
{
    private readonly LastFailureHandler failures = new();
    private readonly HttpClient http;

    private ConnectWorker(Uri address)
    {
        Address = address;

        // No per-request timeout: the command's deadline (--timeout) is the token, and covers the retries.
        http = new HttpClient(failures) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        Client = new KafkaConnectClient(http, NullLogger<KafkaConnectClient>.Instance, new KafkaConnectClientOptions { Url = address });
    }

    public Uri Address { get; }

    public KafkaConnectClient Client { get; }

    public SecretScrubber Secrets { get; } = new();

    /// <summary>Why the last attempt failed, e.g. "Connection refused (127.0.0.1:8083)"; null after a success.</summary>
    public string? LastFailure => failures.LastFailure;

    public static ConnectWorker Create(Uri address) => new(address);

    /// <summary>
    /// The connector's stored config (<c>GET /connectors/{name}/config</c>, one attempt), or null when it does not
    /// exist or the worker did not answer it. Connect returns <c>${...}</c> references unresolved. Used only to say
    /// "unchanged" and to know what to scrub, so a failure here is not an error: the calls that matter retry.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>?> TryGetConfigAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"connectors/{Uri.EscapeDataString(name)}/config", UriKind.Relative), cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var config = document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind != JsonValueKind.Null)
                .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
            Secrets.Add(config);
            return config;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => http.Dispose();
}
