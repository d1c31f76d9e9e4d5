using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CdcAspire.KafkaConnect.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CdcAspire.KafkaConnect;

/// <summary>
/// Manages connectors through Kafka Connect's REST API
/// (https://kafka.apache.org/documentation/#connect_rest, https://docs.confluent.io/platform/current/connect/references/restapi.html):
/// validate, create-or-update idempotently, status, restart. Retries what is transient: 409 (a worker rebalance in
/// progress), 5xx (the worker is starting or forwarding to a leader that is), connection failures and timeouts.
/// Config values never reach logs or messages unredacted (<see cref="ConfigRedactor"/>).
/// </summary>
public sealed partial class KafkaConnectClient
{
    private readonly HttpClient http;
    private readonly ILogger logger;
    private readonly KafkaConnectClientOptions options;

    public KafkaConnectClient(HttpClient http, ILogger<KafkaConnectClient> logger, KafkaConnectClientOptions? options = null)
    {
        this.http = http;
        this.logger = logger;
        this.options = options ?? new KafkaConnectClientOptions();
        if (this.options.Url is { } url && http.BaseAddress is null)
        {
            http.BaseAddress = url;
        }
    }

    /// <summary>Validates a config against the worker's plugin (<c>PUT /connector-plugins/{class}/config/validate</c>).</summary>
    public async Task<ConnectorValidation> ValidateAsync(ConnectorDefinition connector, CancellationToken cancellationToken)
    {
        var config = new Dictionary<string, string>(connector.Config, StringComparer.Ordinal) { ["name"] = connector.Name };
        var path = $"connector-plugins/{Uri.EscapeDataString(connector.ConnectorClass)}/config/validate";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(config) }, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "validate", connector.Name, cancellationToken).ConfigureAwait(false);
        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        return ParseValidation(document.RootElement);
    }

    /// <summary>
    /// Validates, then creates or updates the connector with <c>PUT /connectors/{name}/config</c>, which is
    /// idempotent: applying the same config twice leaves one connector with that config. Throws
    /// <see cref="KafkaConnectException"/> with <see cref="KafkaConnectException.Validation"/> set when refused.
    /// </summary>
    public async Task<ApplyOutcome> ApplyAsync(ConnectorDefinition connector, CancellationToken cancellationToken)
    {
        var validation = await ValidateAsync(connector, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            Log.ConnectorInvalid(logger, connector.ConnectorClass, validation.ErrorCount, validation.ToString());
            throw new KafkaConnectException(
                $"Connector '{connector.Name}' config is invalid ({validation.ErrorCount} errors): {validation}",
                statusCode: null,
                isTransient: false,
                validation);
        }

        var path = $"connectors/{Uri.EscapeDataString(connector.Name)}/config";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(connector.Config) }, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "apply", connector.Name, cancellationToken).ConfigureAwait(false);
        var outcome = response.StatusCode == HttpStatusCode.Created ? ApplyOutcome.Created : ApplyOutcome.Updated;
        Log.ConnectorApplied(logger, connector.Name, outcome.ToString().ToLowerInvariant());
        return outcome;
    }

    /// <summary><c>GET /connectors/{name}/status</c>.</summary>
    public async Task<ConnectorStatus> GetStatusAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"connectors/{Uri.EscapeDataString(name)}/status"), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "status", name, cancellationToken).ConfigureAwait(false);
        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        return ParseStatus(document.RootElement);
    }

    /// <summary>
    /// Restarts the connector and its failed tasks (<c>POST /connectors/{name}/restart?includeTasks=true&amp;onlyFailed=true</c>,
    /// Kafka 3.0+, KIP-745), or all of them with <paramref name="onlyFailed"/> false.
    /// </summary>
    public async Task RestartAsync(string name, bool onlyFailed, CancellationToken cancellationToken)
    {
        var path = $"connectors/{Uri.EscapeDataString(name)}/restart?includeTasks=true&onlyFailed={(onlyFailed ? "true" : "false")}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "restart", name, cancellationToken).ConfigureAwait(false);
        Log.ConnectorRestart(logger, name, onlyFailed ? "failed tasks" : "all tasks");
    }

    /// <summary>Restarts one task (<c>POST /connectors/{name}/tasks/{id}/restart</c>).</summary>
    public async Task RestartTaskAsync(string name, int taskId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"connectors/{Uri.EscapeDataString(name)}/tasks/{taskId}/restart"), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "restart task", name, cancellationToken).ConfigureAwait(false);
        Log.ConnectorRestart(logger, name, $"task {taskId}");
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
