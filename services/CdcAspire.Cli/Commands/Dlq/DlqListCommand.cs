using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CdcAspire.Cli.Rendering;
using CdcAspire.Dlq.V1;
using Spectre.Console;

namespace CdcAspire.Cli.Commands.Dlq;

/// <summary><c>cdc dlq list [--table T] [--reason R] [--state S] [--limit N] [--json]</c>: newest first.</summary>
public static class DlqListCommand
{
    public static Command Create()
    {
        var selection = new DlqSelection();
        var state = new Option<string[]>("--state") { Description = "Only these states: pending, resolved, discarded, archived (default: all).", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int>("--limit") { Description = "At most this many (default 100).", DefaultValueFactory = _ => 100 };
        var json = CliOptions.Json();
        var command = new Command("list", "List dead letters, newest first.");
        selection.AddTo(command, ids: false);
        command.Options.Add(state);
        command.Options.Add(limit);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, DlqCommand.Service, async (connection, ct) =>
        {
            var filter = selection.Read(parse, required: false);
            foreach (var s in parse.GetValue(state) ?? [])
            {
                filter.States.Add(DlqNames.TryParseState(s, out var parsed) ? parsed
                    : throw new UsageException($"--state '{s}' is not one of pending, resolved, discarded, archived."));
            }

            var max = parse.GetValue(limit);
            if (max <= 0)
            {
                throw new UsageException("--limit must be at least 1.");
            }

            var client = new DlqService.DlqServiceClient(connection.Channel);
            var letters = new List<DeadLetter>();
            long total = 0;
            var token = string.Empty;
            do
            {
                var page = await client.ListAsync(new ListRequest
                {
                    Filter = filter,
                    PageSize = Math.Min(1000, max - letters.Count),
                    PageToken = token,
                }, connection.Call(ct));
                letters.AddRange(page.DeadLetters);
                total = page.Total;
                token = page.NextPageToken;
            }
            while (token.Length > 0 && letters.Count < max);

            if (parse.GetValue(json))
            {
                JsonOutput.Write(new JsonArray(letters.Take(max).Select(d => (JsonNode)DeadLetterJson.From(d, details: false)).ToArray()));
                return;
            }

            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("Id", "Created", "Table", "Document", "Op", "Error type", "State", "Attempts", "Reason");
            foreach (var d in letters.Take(max))
            {
                table.AddRow(
                    d.Id.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(d.CreatedAt?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-"),
                    Markup.Escape(d.Table),
                    Markup.Escape(d.DocumentId),
                    Markup.Escape(d.Operation),
                    Markup.Escape(d.ErrorType),
                    Markup.Escape(DlqNames.State(d.State)),
                    d.Attempts.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(Shorten(d.ErrorReason, 80)));
            }

            Terminal.Console.Write(table);
            Terminal.Console.WriteLine($"{Math.Min(letters.Count, max)} of {total} shown.");
        }, cancellationToken));
        return command;
    }

    internal static string Shorten(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}
