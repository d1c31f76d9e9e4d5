using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Testing.KafkaConnect;

/// <summary>
/// A Kafka Connect worker's REST API on loopback, reproducing only documented behaviour
/// (https://kafka.apache.org/documentation/#connect_rest, https://docs.confluent.io/platform/current/connect/references/restapi.html):
/// PUT /connectors/{name}/config answers 201 when it creates and 200 when it updates; validate answers 200 with
/// error_count and per-config errors; 409 while a rebalance is in progress; restart answers 202 with the status;
/// GET /connectors/{name}/config answers the stored config, with <c>name</c> added as Connect adds it.
/// </summary>
public sealed class KafkaConnectDouble : IAsyncDisposable
{
    private readonly WebApplication app;

    private KafkaConnectDouble(WebApplication app) => this.app = app;

    public ConcurrentDictionary<string, Dictionary<string, string>> Connectors { get; } = new();

    /// <summary>Task states by connector; a created connector gets one RUNNING task.</summary>
    public ConcurrentDictionary<string, string[]> TaskStates { get; } = new();

    /// <summary>Connector states by connector (RUNNING when absent); FAILED adds a trace as Connect does.</summary>
    public ConcurrentDictionary<string, string> ConnectorStates { get; } = new();

    /// <summary>Required config keys the validate endpoint reports as missing.</summary>
    public HashSet<string> Required { get; } = ["database.hostname", "topic.prefix"];

    /// <summary>How many more requests answer 409 (a worker rebalance).</summary>
    public int RebalancingFor { get; set; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public Uri Url => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<KafkaConnectDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var double_ = new KafkaConnectDouble(app);
        double_.Map(app);
        await app.StartAsync();
        return double_;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private void Map(WebApplication web)
    {
        web.Use(async (context, next) =>
        {
            Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            if (RebalancingFor > 0)
            {
                RebalancingFor--;
                await Error(context, 409, "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)");
                return;
            }

            await next(context);
        });

        web.MapPut("/connector-plugins/{plugin}/config/validate", async (string plugin, HttpContext context) =>
        {
            var config = await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(context.Request.Body) ?? [];
            var configs = new JsonArray();
            var errors = 0;
            foreach (var key in Required.Union(config.Keys))
            {
                var fieldErrors = new JsonArray();
                if (Required.Contains(key) && (!config.TryGetValue(key, out var v) || v.Length == 0))
                {
                    fieldErrors.Add($"Missing required configuration \"{key}\" which has no default value.");
                    errors++;
                }

                configs.Add(new JsonObject
                {
                    ["definition"] = new JsonObject { ["name"] = key, ["type"] = "STRING", ["required"] = Required.Contains(key) },
                    ["value"] = new JsonObject { ["name"] = key, ["value"] = config.GetValueOrDefault(key), ["recommended_values"] = new JsonArray(), ["errors"] = fieldErrors, ["visible"] = true },
                });
            }

            return Results.Json(new JsonObject { ["name"] = plugin, ["error_count"] = errors, ["groups"] = new JsonArray("Common"), ["configs"] = configs });
        });

        web.MapPut("/connectors/{name}/config", async (string name, HttpContext context) =>
        {
            var config = await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(context.Request.Body) ?? [];
            var created = Connectors.TryAdd(name, config);
            if (!created)
            {
                Connectors[name] = config;
            }

            TaskStates.TryAdd(name, ["RUNNING"]);
            var body = new JsonObject { ["name"] = name, ["config"] = JsonSerializer.SerializeToNode(config), ["tasks"] = new JsonArray(), ["type"] = "source" };
            return created ? Results.Json(body, statusCode: 201) : Results.Json(body);
        });

        // GET /connectors lists the connector names (a JSON array of strings).
        web.MapGet("/connectors", () => Results.Json(Connectors.Keys.Order(StringComparer.Ordinal).ToArray()));

        web.MapGet("/connectors/{name}/config", (string name) =>
            Connectors.TryGetValue(name, out var config)
                ? Results.Json(new Dictionary<string, string>(config) { ["name"] = name })
                : NotFound(name));

        web.MapGet("/connectors/{name}/status", (string name) =>
            TaskStates.TryGetValue(name, out var tasks) ? Results.Json(Status(name, tasks, ConnectorStates.GetValueOrDefault(name, "RUNNING"))) : NotFound(name));

        web.MapPost("/connectors/{name}/restart", (string name, bool? includeTasks, bool? onlyFailed) =>
        {
            if (!TaskStates.TryGetValue(name, out var tasks))
            {
                return NotFound(name);
            }

            // KIP-745: with includeTasks the selected tasks restart and 202 returns the status showing RESTARTING.
            var restarted = tasks.Select(s => includeTasks == true && (onlyFailed != true || s == "FAILED") ? "RESTARTING" : s).ToArray();
            TaskStates[name] = [.. restarted.Select(s => s == "RESTARTING" ? "RUNNING" : s)];
            return Results.Json(Status(name, restarted), statusCode: 202);
        });

        web.MapPost("/connectors/{name}/tasks/{id:int}/restart", (string name, int id) =>
        {
            if (!TaskStates.TryGetValue(name, out var tasks) || id >= tasks.Length)
            {
                return NotFound(name);
            }

            tasks[id] = "RUNNING";
            return Results.NoContent();
        });
    }

    private static JsonObject Status(string name, string[] tasks, string connectorState = "RUNNING") => new()
    {
        ["name"] = name,
        ["connector"] = new JsonObject
        {
            ["state"] = connectorState, ["worker_id"] = "127.0.0.1:8083",
            ["trace"] = connectorState == "FAILED" ? "org.apache.kafka.connect.errors.ConnectException: connector failed to start" : null,
        },
        ["tasks"] = new JsonArray([.. tasks.Select((s, i) => (JsonNode)new JsonObject
        {
            ["id"] = i, ["state"] = s, ["worker_id"] = "127.0.0.1:8083",
            ["trace"] = s == "FAILED" ? "org.apache.kafka.connect.errors.ConnectException: replication slot is active" : null,
        })]),
        ["type"] = "source",
    };

    private static IResult NotFound(string name) =>
        Results.Json(new JsonObject { ["error_code"] = 404, ["message"] = $"Connector {name} not found" }, statusCode: 404);

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject { ["error_code"] = status, ["message"] = message });
    }
}
