using System.CommandLine;
using System.Globalization;
using CdcAspire.Cli.Connect;
using CdcAspire.Cli.Rendering;
using CdcAspire.KafkaConnect;
using Spectre.Console;

namespace CdcAspire.Cli.Commands;

/// <summary>
/// <c>cdc connector restart &lt;name&gt; [--task N] [--all]</c>: by default restarts the connector and tasks that
/// FAILED (KIP-745, Kafka 3.0+), so a healthy task keeps running; <c>--all</c> restarts everything, <c>--task</c> one task.
/// </summary>
public static class ConnectorRestartCommand
{
    public static Command Create(Option<string?> connect)
    {
        var name = new Argument<string>("name") { Description = "Connector name, e.g. postgres-source." };
        var task = new Option<int?>("--task") { Description = "Restart only this task (its id, as 'cdc connector status' shows)." };
        var all = new Option<bool>("--all") { Description = "Restart the connector and all its tasks, not only the failed ones." };
        var command = new Command("restart", "Restart a connector's failed tasks (default), one task (--task N), or everything (--all).");
        command.Arguments.Add(name);
        command.Options.Add(task);
        command.Options.Add(all);
        task.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0)
            {
                result.AddError("--task must be a task id (0 or more).");
            }
        });
        command.Validators.Add(result =>
        {
            if (result.GetValue(task) is not null && result.GetValue(all))
            {
                result.AddError("--task and --all cannot be combined: restart one task, or all of them.");
            }
        });
        command.SetAction((parse, cancellationToken) => ConnectCommandRunner.RunAsync(parse, connect, async (worker, ct) =>
        {
            var connector = parse.GetRequiredValue(name);
            var before = await worker.Client.GetStatusAsync(connector, ct);
            if (parse.GetValue(task) is { } id)
            {
                if (!before.Tasks.Any(t => t.Id == id))
                {
                    throw new UsageException($"Connector '{connector}' has no task {id}; its tasks are: {TaskIds(before.Tasks)}.");
                }

                await worker.Client.RestartTaskAsync(connector, id, ct);
                Terminal.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Restarted task {id} of '{connector}'."));
            }
            else if (parse.GetValue(all))
            {
                await worker.Client.RestartAsync(connector, onlyFailed: false, ct);
                Terminal.Console.WriteLine($"Restarted '{connector}' and all its tasks ({TaskIds(before.Tasks)}).");
            }
            else
            {
                await worker.Client.RestartAsync(connector, onlyFailed: true, ct);
                var failed = before.FailedTasks.ToList();
                Terminal.Console.WriteLine((before.Connector.IsFailed, failed.Count > 0) switch
                {
                    (true, true) => $"Restarted the connector '{connector}' and its failed tasks: {TaskIds(failed)}.",
                    (true, false) => $"Restarted the connector '{connector}' (none of its tasks had failed).",
                    (false, true) => $"Restarted the failed tasks of '{connector}': {TaskIds(failed)}.",
                    (false, false) => $"Nothing in '{connector}' had failed; nothing was restarted (use --all to restart anyway).",
                });
            }

            await worker.TryGetConfigAsync(connector, ct);
            Terminal.Console.Write(ConnectorStatusView.Render(await worker.Client.GetStatusAsync(connector, ct), worker.Secrets));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static string TaskIds(IEnumerable<ConnectorState> tasks)
    {
        var ids = tasks.Select(t => t.Id?.ToString(CultureInfo.InvariantCulture) ?? "?").ToList();
        return ids.Count == 0 ? "none" : string.Join(", ", ids);
    }
}
