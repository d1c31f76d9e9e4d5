using System.CommandLine;
using System.Text.Json.Nodes;
using CdcAspire.Cli.Rendering;
using CdcAspire.Consistency.V1;
using Grpc.Core;
using Spectre.Console;

namespace CdcAspire.Cli.Commands.Consistency;

/// <summary>
/// <c>cdc resync TABLE [--keep-old-index] [--json]</c>: rebuilds the table's index behind its alias without downtime.
/// Exit 0 only when the last stage is <c>done</c>.
/// </summary>
public static class ResyncCommand
{
    public static Command Create()
    {
        var table = new Argument<string>("table") { Description = "Schema-qualified table, e.g. public.orders." };
        var keep = new Option<bool>("--keep-old-index") { Description = "Keep the previous index after the alias swap." };
        var json = CliOptions.Json();
        var command = new Command("resync", "Rebuild a table's index from a fresh snapshot and swap the alias atomically; search keeps working. Needs the API token.");
        command.Arguments.Add(table);
        command.Options.Add(ConsistencyOptions.Address());
        command.Options.Add(keep);
        command.Options.Add(CliOptions.Token());
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, ConsistencyOptions.Service, async (connection, ct) =>
        {
            var request = new ResyncRequest { Table = parse.GetValue(table)!, KeepOldIndex = parse.GetValue(keep) };
            var asJson = parse.GetValue(json);
            ResyncProgress? last = null;
            await ProgressBar.RunAsync($"Resync {request.Table}", show: !asJson, async report =>
            {
                using var call = new ConsistencyService.ConsistencyServiceClient(connection.Channel).Resync(request, CheckResults.Stream(ct));
                await foreach (var p in call.ResponseStream.ReadAllAsync(ct))
                {
                    last = p;
                    report(p.RowsDone, p.RowsEstimated, $"{p.Stage} {p.NewIndex}");
                }
            });

            var done = last?.Stage == "done";
            if (asJson)
            {
                JsonOutput.Write(new JsonObject
                {
                    ["table"] = request.Table,
                    ["stage"] = last?.Stage,
                    ["alias"] = last?.Alias,
                    ["oldIndex"] = last?.OldIndex,
                    ["newIndex"] = last?.NewIndex,
                    ["rowsDone"] = last?.RowsDone ?? 0,
                    ["detail"] = last?.Detail,
                    ["completed"] = done,
                });
            }
            else if (done)
            {
                Terminal.Console.WriteLine($"Resynced {request.Table}: alias {last!.Alias} now points at {last.NewIndex} ({last.RowsDone:N0} rows); previous index {last.OldIndex} {(request.KeepOldIndex ? "kept" : "deleted")}.");
            }

            if (!done)
            {
                return await CommandRunner.FailAsync(ExitCodes.NotClean,
                    $"The resync of {request.Table} did not complete (stage {last?.Stage ?? "none"}{(last?.Detail is { Length: > 0 } d ? ": " + d : string.Empty)}).");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
