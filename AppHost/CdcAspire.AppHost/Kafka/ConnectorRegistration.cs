using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Diagnostics;
using CdcAspire.KafkaConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CdcAspire.AppHost.Kafka;

/// <summary>Applies a <see cref="ConnectorResource"/> and keeps its dashboard state equal to Kafka Connect's.</summary>
public static class ConnectorRegistration
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    public static async Task ApplyAsync(ConnectorResource connector, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(connector);
        await notifications.PublishUpdateAsync(connector, s => s with { State = new ResourceStateSnapshot("Applying", KnownResourceStateStyles.Info) });

        var url = await connector.Worker.HttpEndpoint.GetValueAsync(cancellationToken)
            ?? throw new InvalidOperationException($"{connector.Worker.Name} has no address yet.");
        var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        var client = new KafkaConnectClient(http, new ResourceLogger<KafkaConnectClient>(logger));
        try
        {
            var file = await ConnectorDefinition.LoadAsync(connector.DefinitionPath, cancellationToken);
            var config = new Dictionary<string, string>(file.Config, StringComparer.Ordinal);
            foreach (var (key, value) in connector.Overrides)
            {
                config[key] = value;
            }

            var definition = file with { Config = config };
            var outcome = await client.ApplyAsync(definition, cancellationToken);
            Log.ConnectorApplied(logger, definition.Name, outcome.ToString().ToLowerInvariant(), connector.DefinitionPath,
                Value(config, "database.hostname"), Value(config, "database.port"), Value(config, "database.dbname"));
            await notifications.PublishUpdateAsync(connector, s => s with
            {
                State = new ResourceStateSnapshot("Applied", KnownResourceStateStyles.Info),
                Properties = [.. s.Properties.Where(p => p.Name != "connector.name"), new("connector.name", definition.Name)],
            });
        }
        catch (Exception ex) when (ex is KafkaConnectException or FormatException or IOException or InvalidOperationException)
        {
            // The dependants stay waiting: a sink without its connector would read nothing. KafkaConnectException
            // messages are already redacted (ConfigRedactor).
            Log.ConnectorFailed(logger, connector.Name, ex.Message);
            await notifications.PublishUpdateAsync(connector, s => s with { State = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error) });
            http.Dispose();
            return;
        }

        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ = Task.Run(() => PollAsync(connector, client, http, notifications, logger, stopping), CancellationToken.None);
    }

    /// <summary>Connect's view (<c>GET /connectors/{name}/status</c>) as the resource's state: Running, or the connector/task state.</summary>
    private static async Task PollAsync(ConnectorResource connector, KafkaConnectClient client, HttpClient http, ResourceNotificationService notifications, Microsoft.Extensions.Logging.ILogger logger, CancellationToken stopping)
    {
        using (http)
        {
            var name = (await ConnectorDefinition.LoadAsync(connector.DefinitionPath, stopping)).Name;
            string? last = null;
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var status = await client.GetStatusAsync(name, stopping);
                    var state = status.IsHealthy ? KnownResourceStates.Running
                        : status.Connector.IsFailed || status.FailedTasks.Any() ? "Failed"
                        : status.Connector.State;
                    if (state != last)
                    {
                        Log.ConnectorState(logger, name, status.Connector.State, status.Tasks.Count);
                        last = state;
                    }

                    await notifications.PublishUpdateAsync(connector, s => s with
                    {
                        State = new ResourceStateSnapshot(state, state == KnownResourceStates.Running ? KnownResourceStateStyles.Success
                            : state == "Failed" ? KnownResourceStateStyles.Error : KnownResourceStateStyles.Warn),
                        Properties = [.. s.Properties.Where(p => !p.Name.StartsWith("connector.state", StringComparison.Ordinal) && p.Name != "connector.tasks"),
                            new("connector.state", status.Connector.State),
                            new("connector.tasks", string.Join(", ", status.Tasks.Select(t => $"{t.Id}:{t.State}")))],
                    });
                }
                catch (KafkaConnectException ex)
                {
                    Log.ConnectorFailed(logger, name, ex.Message);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    await Task.Delay(PollInterval, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static string Value(Dictionary<string, string> config, string key) =>
        config.TryGetValue(key, out var value) ? value : "?";
}
