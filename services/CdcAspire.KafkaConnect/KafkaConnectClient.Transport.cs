using System.Net;
using System.Text.Json;
using CdcAspire.KafkaConnect.Diagnostics;

namespace CdcAspire.KafkaConnect;

/// <summary>Retries, error mapping and response parsing.</summary>
public sealed partial class KafkaConnectClient
{
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        var delay = options.InitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            string failure;
            try
            {
                var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
                if (!IsTransient(response.StatusCode) || attempt >= options.MaxAttempts)
                {
                    return response;
                }

                failure = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                response.Dispose();
            }
            catch (HttpRequestException ex) when (attempt < options.MaxAttempts)
            {
                // Connection refused or reset: the worker is not listening yet.
                failure = ex.HttpRequestError.ToString();
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested && attempt < options.MaxAttempts)
            {
                failure = "timeout";
            }
            catch (HttpRequestException ex)
            {
                throw new KafkaConnectException($"Kafka Connect at {http.BaseAddress} is unreachable after {attempt} attempts: {ex.Message}", null, isTransient: true, innerException: ex);
            }

            Log.ConnectRetry(logger, message.Method.Method, message.RequestUri?.OriginalString ?? string.Empty, failure, attempt, delay);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxDelay.Ticks));
        }
    }

    /// <summary>409: "a rebalance is in progress" (or a concurrent config change); 5xx: the worker is starting or its leader is unavailable.</summary>
    private static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.Conflict || (int)status >= 500;

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, string connector, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        // Connect's error body is {"error_code": 409, "message": "..."}; its message never contains config values.
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = body;
        try
        {
            using var document = JsonDocument.Parse(body);
            message = document.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? body : body;
        }
        catch (JsonException)
        {
        }

        var status = (int)response.StatusCode;
        var hint = response.StatusCode == HttpStatusCode.NotFound ? $" Connector '{connector}' or its plugin does not exist on this worker." : string.Empty;
        throw new KafkaConnectException($"Kafka Connect refused {operation} of '{connector}' with {status}: {message}.{hint}", status, IsTransient(response.StatusCode));
    }

    private static ConnectorValidation ParseValidation(JsonElement root)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (root.TryGetProperty("configs", out var configs) && configs.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in configs.EnumerateArray())
            {
                if (!entry.TryGetProperty("value", out var value) || !value.TryGetProperty("errors", out var fieldErrors) ||
                    fieldErrors.ValueKind != JsonValueKind.Array || fieldErrors.GetArrayLength() == 0)
                {
                    continue;
                }

                var name = value.TryGetProperty("name", out var n) ? n.GetString() ?? "?" : "?";
                errors[name] = [.. fieldErrors.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
            }
        }

        var count = root.TryGetProperty("error_count", out var c) && c.TryGetInt32(out var n2) ? n2 : errors.Count;
        return new ConnectorValidation(count, errors);
    }

    private static ConnectorStatus ParseStatus(JsonElement root)
    {
        static ConnectorState State(JsonElement element, int? id) => new(
            id,
            element.TryGetProperty("state", out var s) ? s.GetString() ?? "UNKNOWN" : "UNKNOWN",
            element.TryGetProperty("worker_id", out var w) ? w.GetString() : null,
            element.TryGetProperty("trace", out var t) ? t.GetString() : null);

        var tasks = root.TryGetProperty("tasks", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(task => State(task, task.TryGetProperty("id", out var id) ? id.GetInt32() : null)).ToList()
            : [];
        return new ConnectorStatus(
            root.GetProperty("name").GetString()!,
            State(root.GetProperty("connector"), null),
            tasks,
            root.TryGetProperty("type", out var type) ? type.GetString() : null);
    }
}
