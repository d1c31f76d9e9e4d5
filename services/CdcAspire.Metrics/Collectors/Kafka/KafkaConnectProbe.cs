using System.Net.Http.Json;
using CdcAspire.KafkaConnect;
using CdcAspire.Metrics.Diagnostics;
using CdcAspire.Metrics.Health;
using CdcAspire.Metrics.V1;

namespace CdcAspire.Metrics.Collectors.Kafka;

/// <summary>
/// Kafka Connect (Kafka topology only): each connector's and task's state through the worker's REST API
/// (https://kafka.apache.org/documentation/#connect_rest), with CdcAspire.KafkaConnect's client. Without
/// <c>Cdc:KafkaConnect:Url</c> it is not configured.
/// </summary>
internal sealed class KafkaConnectProbe(
    KafkaConnectClient? client,
    HttpClient? http,
    IReadOnlyList<string> connectors,
    ILogger<KafkaConnectProbe> logger) : IChainProbe
{
    public const string ComponentName = "kafka-connect";

    public string Name => ComponentName;

    public async Task<HealthReport> ProbeAsync(CancellationToken cancellationToken)
    {
        var report = new HealthReport { Metrics = new ChainMetrics() };
        if (client is null || http is null)
        {
            report.Components.Add(Components.NotConfigured(ComponentName, "Kafka topology only: set Cdc:KafkaConnect:Url to the worker's REST endpoint, e.g. http://localhost:8083."));
            return report;
        }

        IReadOnlyList<string> names;
        try
        {
            names = connectors.Count > 0
                ? connectors
                : await http.GetFromJsonAsync<List<string>>("connectors", cancellationToken) ?? [];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            Log.ProbeFailed(logger, ComponentName, ex.Message);
            report.Components.Add(Components.Down(ComponentName, $"the Kafka Connect worker does not answer: {ex.Message}",
                "Start the Kafka Connect worker or fix Cdc:KafkaConnect:Url."));
            return report;
        }

        report.Components.Add(names.Count == 0
            ? Components.Degraded(ComponentName, "the worker has no connectors", "cdc connector apply connectors/postgres-source.json")
            : Components.Ok(ComponentName));
        foreach (var name in names)
        {
            var component = ComponentName + ":" + name;
            try
            {
                var status = await client.GetStatusAsync(name, cancellationToken);
                var failed = status.FailedTasks.ToList();
                var trace = (status.Connector.IsFailed ? status.Connector.Trace : failed.FirstOrDefault()?.Trace) ?? string.Empty;
                trace = trace.Split('\n')[0];
                report.Metrics.Connectors.Add(new V1.ConnectorState
                {
                    Name = name,
                    State = status.Connector.State,
                    FailedTasks = failed.Count,
                    Tasks = status.Tasks.Count,
                    Trace = trace,
                });
                report.Components.Add(status switch
                {
                    { Connector.IsFailed: true } => Components.Down(component, "connector FAILED: " + trace,
                        $"Fix the cause in the trace, then cdc connector restart {name}."),
                    _ when failed.Count > 0 => Components.Down(component, $"{failed.Count} of {status.Tasks.Count} tasks FAILED: {trace}",
                        $"Fix the cause in the trace, then cdc connector restart {name} (restarts the failed tasks)."),
                    { Connector.State: "PAUSED" } => Components.Degraded(component, "connector PAUSED", $"curl -X PUT <worker>/connectors/{name}/resume when the pause is over."),
                    _ when status.Tasks.Count == 0 => Components.Degraded(component, $"connector {status.Connector.State} with no tasks", "Check the worker's log; the connector may still be starting."),
                    _ when status.Connector.State != "RUNNING" => Components.Degraded(component, "connector " + status.Connector.State, "Check the worker's log."),
                    _ => Components.Ok(component),
                });
            }
            catch (KafkaConnectException ex)
            {
                Log.ProbeFailed(logger, component, ex.Message);
                report.Components.Add(Components.Down(component, ex.Message, $"cdc connector apply connectors/{name}.json, or check the worker."));
            }
        }

        return report;
    }
}
