using System.CommandLine;
using CdcAspire.Consistency.V1;

namespace CdcAspire.Cli.Commands.Consistency;

/// <summary>
/// <c>cdc repair TABLE [--keys K...] [--json]</c>: rewrites the differing documents from the rows' current state
/// (never stale) and deletes the extras. Exit 0 only when the repair completed with no failure.
/// </summary>
public static class RepairCommand
{
    public static Command Create()
    {
        var table = new Argument<string>("table") { Description = "Schema-qualified table, e.g. public.orders." };
        var keys = new Option<string[]>("--keys") { Description = "Document ids to repair (default: every difference a fresh full check finds).", AllowMultipleArgumentsPerToken = true };
        var json = CliOptions.Json();
        var command = new Command("repair", "Repair a table's index from the rows' current state while the stream runs. Needs the API token.");
        command.Arguments.Add(table);
        command.Options.Add(ConsistencyOptions.Address());
        command.Options.Add(keys);
        command.Options.Add(CliOptions.Token());
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, ConsistencyOptions.Service, async (connection, ct) =>
        {
            var request = new RepairRequest { Table = parse.GetValue(table)! };
            // Accept both "--keys a b" and "--keys a,b".
            request.Keys.Add((parse.GetValue(keys) ?? []).SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            var asJson = parse.GetValue(json);
            using var call = new ConsistencyService.ConsistencyServiceClient(connection.Channel).Repair(request, CheckResults.Stream(ct));
            var results = await CheckResults.ReadAsync(call, "Repairing", asJson, ct);
            CheckResults.Print(results, asJson);
            if (results.Count == 0)
            {
                return await CommandRunner.FailAsync(ExitCodes.NotClean, $"The repair of {request.Table} ended without a result.");
            }

            return results.Any(r => r.Error.Length > 0 || r.Repaired is { Failed: > 0 }) ? ExitCodes.NotClean : ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
