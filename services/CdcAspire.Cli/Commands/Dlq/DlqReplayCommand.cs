using System.CommandLine;
using System.Text.Json.Nodes;
using CdcAspire.Cli.Rendering;
using CdcAspire.Cli.Services;
using CdcAspire.Dlq.V1;
using Spectre.Console;
using Grpc.Core;

namespace CdcAspire.Cli.Commands.Dlq;

/// <summary>
/// <c>cdc dlq replay (ID... | --table T | --reason R | --all) [--json]</c>: re-reads each row's current state and
/// writes it (never stale), with a progress bar and a summary. Exit 0 when nothing failed again, 5 otherwise.
/// </summary>
public static class DlqReplayCommand
{
    public static Command Create()
    {
        var selection = new DlqSelection();
        var json = CliOptions.Json();
        var command = new Command("replay", "Replay dead letters from the rows' current state (indexed, deleted or superseded; never stale). Needs the API token.");
        selection.AddTo(command, ids: true);
        command.Options.Add(CliOptions.Token());
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, DlqCommand.Service, async (connection, ct) =>
        {
            var request = new ReplayRequest { Filter = selection.Read(parse, required: true) };
            var asJson = parse.GetValue(json);
            var client = new DlqService.DlqServiceClient(connection.Channel);
            ReplaySummary? summary = null;
            var failures = new List<ReplayResult>();
            await ProgressBar.RunAsync("Replaying", show: !asJson, async report =>
            {
                using var call = client.Replay(request, ServiceConnection.Stream(ct));
                await foreach (var item in call.ResponseStream.ReadAllAsync(ct))
                {
                    if (item.Result is { } result)
                    {
                        report(result.Done, result.Total, null);
                        if (result.Outcome == Outcome.Failed)
                        {
                            failures.Add(result);
                        }
                    }
                    else if (item.Summary is { } s)
                    {
                        summary = s;
                    }
                }
            });

            summary ??= new ReplaySummary();
            if (asJson)
            {
                JsonOutput.Write(new JsonObject
                {
                    ["indexed"] = summary.Indexed,
                    ["deleted"] = summary.Deleted,
                    ["superseded"] = summary.Superseded,
                    ["failed"] = summary.Failed,
                    ["skipped"] = summary.Skipped,
                    ["archived"] = summary.Archived,
                    ["failures"] = new JsonArray(failures.Select(f => (JsonNode)new JsonObject
                    {
                        ["id"] = f.Id,
                        ["errorType"] = f.ErrorType,
                        ["errorReason"] = f.ErrorReason,
                    }).ToArray()),
                });
            }
            else
            {
                foreach (var f in failures.Take(20))
                {
                    Terminal.Console.WriteLine($"failed again: {f.Id} {f.ErrorType}: {DlqListCommand.Shorten(f.ErrorReason, 120)}");
                }

                Terminal.Console.WriteLine(
                    $"Replayed {summary.Indexed + summary.Deleted + summary.Superseded + summary.Failed + summary.Skipped}: " +
                    $"indexed {summary.Indexed}, deleted {summary.Deleted}, superseded {summary.Superseded}, failed {summary.Failed}, " +
                    $"skipped {summary.Skipped} (held by another replay), archived {summary.Archived}.");
            }

            return summary.Failed > 0 ? ExitCodes.NotClean : ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
