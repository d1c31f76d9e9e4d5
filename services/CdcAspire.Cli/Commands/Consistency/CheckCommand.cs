using System.CommandLine;
using CdcAspire.Consistency.V1;

namespace CdcAspire.Cli.Commands.Consistency;

/// <summary>
/// <c>cdc check [TABLE] [--mode full|sample|count] [--sample-size N] [--json] [--repair]</c>: is Elasticsearch exactly
/// the tables? Exit 0 when no differences remain, 5 when some do (or a table's check did not complete).
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var table = new Argument<string[]>("table") { Description = "Schema-qualified table(s), e.g. public.orders (default: every captured table).", Arity = ArgumentArity.ZeroOrMore };
        var mode = new Option<string>("--mode") { Description = "full (every row), sample (--sample-size random rows) or count.", DefaultValueFactory = _ => "full" };
        mode.AcceptOnlyFromAmong("full", "sample", "count");
        var sampleSize = new Option<int>("--sample-size") { Description = "Rows compared in --mode sample (default: the service's, 1000)." };
        var repair = new Option<bool>("--repair") { Description = "Repair what the check finds (needs the API token)." };
        var json = CliOptions.Json();
        var command = new Command("check", "Compare tables with their indexes: missing, extra and mismatched documents, field by field.");
        command.Arguments.Add(table);
        command.Options.Add(ConsistencyOptions.Address());
        command.Options.Add(mode);
        command.Options.Add(sampleSize);
        command.Options.Add(repair);
        command.Options.Add(CliOptions.Token());
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, ConsistencyOptions.Service, async (connection, ct) =>
        {
            var request = new CheckRequest
            {
                Mode = parse.GetValue(mode) switch { "sample" => Mode.Sample, "count" => Mode.Count, _ => Mode.Full },
                SampleSize = parse.GetValue(sampleSize),
                Repair = parse.GetValue(repair),
            };
            request.Tables.Add(parse.GetValue(table) ?? []);
            var asJson = parse.GetValue(json);
            using var call = new ConsistencyService.ConsistencyServiceClient(connection.Channel).Check(request, CheckResults.Stream(ct));
            var results = await CheckResults.ReadAsync(call, request.Repair ? "Checking and repairing" : "Checking", asJson, ct);
            CheckResults.Print(results, asJson);
            return CheckResults.ExitCode(results);
        }, cancellationToken));
        return command;
    }
}
